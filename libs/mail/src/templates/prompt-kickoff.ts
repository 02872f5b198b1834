import type { MailLocale, TemplateContent } from '../template-catalogue';

/** Week 1: the three questions that clarify direction before the team plans its OKRs. */
export const PROMPT_KICKOFF: Record<MailLocale, TemplateContent> = {
  fi: {
    subject: '{{recipient.firstName}}, mikä on neljänneksen {{quarter.label}} tärkein tehtävä?',
    body: `<p>Hei {{recipient.firstName}},</p>
<p>uusi neljännes alkaa, ja pilottiryhmä {{pilot.name}} suunnittelee pian neljänneksen OKR:t yhdessä. Varaa ennen suunnittelua vartti näille kolmelle kysymykselle:</p>
<ol>
<li><strong>Mikä on tärkein tehtävä, joka tämän neljänneksen aikana on saatava valmiiksi?</strong></li>
<li><strong>Mikä pitää tehdä heti?</strong></li>
<li><strong>Mitä vastauksesi kertovat suunnastamme ja prioriteeteistamme juuri nyt?</strong></li>
</ol>
<p>Kirjoita muutama rivi ja tuo vastauksesi tiimin OKR-suunnitteluun. Niiden ei tarvitse olla valmiita – ne avaavat keskustelun, jossa suunta kirkastuu.</p>
{{#if (eq quarter.number 1)}}<p>Tämä on pilotin ensimmäinen neljännes. Siinä opitaan vähintään yhtä paljon kuin saadaan aikaan, ja juuri niin on tarkoituskin.</p>
{{/if}}{{#if lessons}}<p><strong>Edellisen aallon opit.</strong> Nämä asiat edelliset pilottiryhmät oppivat, ja ne kannattaa ottaa mukaan alusta asti:</p>
{{list lessons}}
{{/if}}{{#if links.okrs}}<p>Neljänneksen OKR:t on sovittu yhdessä luonnosten pohjalta. Lopullinen versio, kommentteineen:</p>
{{button links.okrs "Katso neljänneksen OKR:t"}}
{{/if}}<p>Neljännes päättyy {{date quarter.endsOn}}.</p>
{{#if coach}}<p>Hyvää alkua neljännekselle toivottaa {{coach.name}}</p>
{{/if}}`,
  },
  sv: {
    subject: '{{recipient.firstName}}, vad är viktigast att få gjort under {{quarter.label}}?',
    body: `<p>Hej {{recipient.firstName}},</p>
<p>ett nytt kvartal börjar, och pilotgruppen {{pilot.name}} ska snart planera sina OKR:er tillsammans. Ta en kvart med de här tre frågorna innan dess:</p>
<ol>
<li><strong>Vilken är den viktigaste uppgiften som måste bli klar under kvartalet?</strong></li>
<li><strong>Vad behöver göras genast?</strong></li>
<li><strong>Vad säger dina svar om vår riktning och våra prioriteringar i dag?</strong></li>
</ol>
<p>Skriv ner några rader och ta med dig svaren till teamets OKR-planering. De behöver inte vara färdiga – de öppnar samtalet där riktningen klarnar.</p>
{{#if (eq quarter.number 1)}}<p>Det här är pilotens första kvartal. Ni kommer att lära er minst lika mycket som ni hinner åstadkomma, och det är precis meningen.</p>
{{/if}}{{#if lessons}}<p><strong>Lärdomar från förra vågen.</strong> Det här lärde sig pilotgrupperna före er, och det lönar sig att ta med från början:</p>
{{list lessons}}
{{/if}}{{#if links.okrs}}<p>Kvartalets OKR:er har kommit till gemensamt utifrån utkasten. Den slutliga versionen, med kommentarerna:</p>
{{button links.okrs "Se kvartalets OKR:er"}}
{{/if}}<p>Kvartalet slutar den {{date quarter.endsOn}}.</p>
{{#if coach}}<p>En bra start på kvartalet önskar {{coach.name}}</p>
{{/if}}`,
  },
  en: {
    subject: '{{recipient.firstName}}, what matters most in {{quarter.label}}?',
    body: `<p>Hi {{recipient.firstName}},</p>
<p>A new quarter is starting, and the {{pilot.name}} pilot group will soon plan its OKRs together. Before you do, give these three questions fifteen minutes:</p>
<ol>
<li><strong>What is the most crucial task that must be completed this quarter?</strong></li>
<li><strong>What must be done right away?</strong></li>
<li><strong>What do your answers say about our direction and priorities today?</strong></li>
</ol>
<p>Jot down a few lines and bring your answers to the team's OKR planning. They don't need to be finished – they open the conversation in which the direction becomes clear.</p>
{{#if (eq quarter.number 1)}}<p>This is the pilot's first quarter. You will learn at least as much as you get done, and that is exactly the point.</p>
{{/if}}{{#if lessons}}<p><strong>Lessons from the previous wave.</strong> The pilot groups before you learned these; they are worth taking along from the start:</p>
{{list lessons}}
{{/if}}{{#if links.okrs}}<p>The quarter's OKRs came out of the dialogue on the drafts. The final set, with the comments:</p>
{{button links.okrs "See the quarter's OKRs"}}
{{/if}}<p>The quarter ends on {{date quarter.endsOn}}.</p>
{{#if coach}}<p>Wishing you a good start, {{coach.name}}</p>
{{/if}}`,
  },
};
