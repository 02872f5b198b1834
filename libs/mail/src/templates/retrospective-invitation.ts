import type { MailLocale, TemplateContent } from '../template-catalogue';
import { ANONYMITY_NOTE } from './anonymity';

/** Two weeks before the quarter ends: the retrospective opens. */
export const RETROSPECTIVE_INVITATION: Record<MailLocale, TemplateContent> = {
  fi: {
    subject: 'Miten neljännes {{quarter.label}} meni? Kerro viidessä minuutissa',
    body: `<p>Hei {{recipient.firstName}},</p>
<p>neljännes {{quarter.label}} päättyy {{date quarter.endsOn}}, ja on aika katsoa taaksepäin. Pilottiryhmä {{pilot.name}} kokoaa nyt yhteen, mitä neljänneksellä opittiin.</p>
<p>Retrospektiiviin vastaaminen vie noin viisi minuuttia. Kysymme, mikä toimi, mikä ei ja mitä seuraavalla neljänneksellä kannattaa tehdä toisin. Jokainen vastaus vaikuttaa siihen, miten OKR-mallia viedään eteenpäin.</p>
${ANONYMITY_NOTE.fi}{{#if firstQuestion}}{{quickAnswers firstQuestion}}{{/if}}{{button links.action "Vastaa retrospektiiviin"}}
`,
  },
  sv: {
    subject: 'Hur gick {{quarter.label}}? Berätta på fem minuter',
    body: `<p>Hej {{recipient.firstName}},</p>
<p>kvartalet {{quarter.label}} slutar den {{date quarter.endsOn}}, och det är dags att se tillbaka. Pilotgruppen {{pilot.name}} samlar nu ihop vad ni har lärt er under kvartalet.</p>
<p>Det tar ungefär fem minuter att svara på retrospektiven. Vi frågar vad som fungerade, vad som inte gjorde det och vad ni borde göra annorlunda nästa kvartal. Varje svar påverkar hur OKR-arbetet förs vidare.</p>
${ANONYMITY_NOTE.sv}{{#if firstQuestion}}{{quickAnswers firstQuestion}}{{/if}}{{button links.action "Svara på retrospektiven"}}
`,
  },
  en: {
    subject: 'How did {{quarter.label}} go? Tell us in five minutes',
    body: `<p>Hi {{recipient.firstName}},</p>
<p>{{quarter.label}} ends on {{date quarter.endsOn}}, and it's time to look back. The {{pilot.name}} pilot group is now gathering what the quarter taught you.</p>
<p>The retrospective takes about five minutes. We ask what worked, what didn't, and what to do differently next quarter. Every answer shapes how OKRs are taken further.</p>
${ANONYMITY_NOTE.en}{{#if firstQuestion}}{{quickAnswers firstQuestion}}{{/if}}{{button links.action "Answer the retrospective"}}
`,
  },
};
