import type { MailLocale, TemplateContent } from '../template-catalogue';

/** At close: thanks, and where the answers go, so answering next time feels worth it. */
export const RETROSPECTIVE_CLOSED: Record<MailLocale, TemplateContent> = {
  fi: {
    subject: 'Kiitos! Neljänneksen {{quarter.label}} retrospektiivi on päättynyt',
    body: `<p>Hei {{recipient.firstName}},</p>
<p>neljänneksen {{quarter.label}} retrospektiivi on nyt suljettu. Kiitos jokaisesta vastauksesta – myös kriittisistä, sillä niistä opitaan eniten.</p>
<h2>Mitä seuraavaksi?</h2>
<ul>
<li>{{#if coach}}{{coach.name}}{{else}}Pilotin valmentaja{{/if}} käy vastaukset läpi pilotin oppimisraportista.</li>
<li>Havainnot viedään seuraavan neljänneksen suunnitteluun: se, mikä toimi, jatkuu, ja se, mikä ei toiminut, muuttuu.</li>
<li>Kokemuksenne auttavat myös arvioimaan, milloin OKR-malli on valmis laajemmalle joukolle.</li>
</ul>
<p>Seuraava neljännes rakentuu sille, mitä tässä opittiin.</p>
`,
  },
  sv: {
    subject: 'Tack! Retrospektiven för {{quarter.label}} är avslutad',
    body: `<p>Hej {{recipient.firstName}},</p>
<p>retrospektiven för {{quarter.label}} är nu stängd. Tack för varje svar – också de kritiska, för det är av dem vi lär oss mest.</p>
<h2>Vad händer nu?</h2>
<ul>
<li>{{#if coach}}{{coach.name}}{{else}}Pilotens coach{{/if}} går igenom svaren i pilotens läranderapport.</li>
<li>Iakttagelserna tas med i planeringen av nästa kvartal: det som fungerade fortsätter, det som inte fungerade ändras.</li>
<li>Era erfarenheter hjälper också till att bedöma när OKR-modellen är redo för en större grupp.</li>
</ul>
<p>Nästa kvartal bygger på det ni har lärt er nu.</p>
`,
  },
  en: {
    subject: 'Thank you! The {{quarter.label}} retrospective has closed',
    body: `<p>Hi {{recipient.firstName}},</p>
<p>The {{quarter.label}} retrospective is now closed. Thank you for every answer – the critical ones included, as they teach us the most.</p>
<h2>What happens next?</h2>
<ul>
<li>{{#if coach}}{{coach.name}}{{else}}The pilot's coach{{/if}} reads through the answers in the pilot's learning report.</li>
<li>The findings go into planning the next quarter: what worked continues, what didn't changes.</li>
<li>Your experience also helps judge when the OKR model is ready for a wider group.</li>
</ul>
<p>The next quarter builds on what you learned in this one.</p>
`,
  },
};
