import type { MailLocale, TemplateContent } from '../template-catalogue';
import { ANONYMITY_NOTE } from './anonymity';

/** Sent to non-responders only; it says nothing about who has answered, so anonymity is not in doubt. */
export const RETROSPECTIVE_REMINDER: Record<MailLocale, TemplateContent> = {
  fi: {
    subject: 'Muistutus: neljänneksen {{quarter.label}} retrospektiivi on vielä auki',
    body: `<p>Hei {{recipient.firstName}},</p>
<p>pilottiryhmän retrospektiivi on vielä auki. Jos et ole vielä ehtinyt vastata, nyt on hyvä hetki: se vie noin viisi minuuttia.</p>
<p>Jokainen näkökulma tekee kuvasta tarkemman – myös silloin, kun kaikki ei mennyt suunnitellusti. Juuri niistä kohdista opitaan eniten.</p>
${ANONYMITY_NOTE.fi}{{#if firstQuestion}}{{quickAnswers firstQuestion}}{{/if}}{{button links.action "Vastaa nyt"}}
<p>Jos vastasit jo, kiitos! Voit ohittaa tämän viestin.</p>
`,
  },
  sv: {
    subject: 'Påminnelse: retrospektiven för {{quarter.label}} är fortfarande öppen',
    body: `<p>Hej {{recipient.firstName}},</p>
<p>pilotgruppens retrospektiv är fortfarande öppen. Om du inte har hunnit svara ännu är det ett bra tillfälle nu: det tar ungefär fem minuter.</p>
<p>Varje perspektiv gör bilden skarpare – också när allt inte gick som planerat. Det är just där vi lär oss mest.</p>
${ANONYMITY_NOTE.sv}{{#if firstQuestion}}{{quickAnswers firstQuestion}}{{/if}}{{button links.action "Svara nu"}}
<p>Har du redan svarat? Tack! Då kan du bortse från det här meddelandet.</p>
`,
  },
  en: {
    subject: 'Reminder: the {{quarter.label}} retrospective is still open',
    body: `<p>Hi {{recipient.firstName}},</p>
<p>The pilot group's retrospective is still open. If you haven't had a chance to answer yet, now is a good moment: it takes about five minutes.</p>
<p>Every perspective sharpens the picture – especially where things did not go to plan. That is where we learn the most.</p>
${ANONYMITY_NOTE.en}{{#if firstQuestion}}{{quickAnswers firstQuestion}}{{/if}}{{button links.action "Answer now"}}
<p>Already answered? Thank you – you can ignore this email.</p>
`,
  },
};
