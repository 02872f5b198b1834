import type { MailLocale, TemplateContent } from '../template-catalogue';

/** Weekly: confidence (0–10) and progress, through the emailed link when there is one. */
export const CHECKIN_REQUEST: Record<MailLocale, TemplateContent> = {
  fi: {
    subject: 'Viikko {{quarter.week}}: miltä avaintulokset näyttävät?',
    body: `<p>Hei {{recipient.firstName}},</p>
<p>on viikkokatsauksen aika. Kaksi kysymystä, noin minuutti:</p>
<ol>
<li><strong>Kuinka luottavainen olet asteikolla 0–10</strong>, että saavutatte avaintuloksenne neljänneksen loppuun mennessä?</li>
<li><strong>Miten avaintulokset ovat edenneet</strong> viime viikosta?</li>
</ol>
<p>Rehellinen arvio auttaa eniten. Laskeva luottamus ei ole epäonnistuminen vaan tieto, jonka varassa tiimi ehtii vielä toimia.</p>
{{#if checkIn.scoring}}<p>Neljännes on lopuillaan, joten lomake kysyy myös kunkin avaintuloksen loppuarviota (0,0–1,0). Sitovissa avaintuloksissa tavoite on 1,0; kunnianhimoisissa 0,6–0,7 on hyvä tulos.</p>
{{/if}}{{#if links.action}}{{button links.action "Kirjaa viikon tilanne"}}
{{else}}<p>Tuo arviosi tiimin seuraavaan viikkopalaveriin.</p>
{{/if}}`,
  },
  sv: {
    subject: 'Vecka {{quarter.week}}: hur går det med nyckelresultaten?',
    body: `<p>Hej {{recipient.firstName}},</p>
<p>dags för veckans avstämning. Två frågor, ungefär en minut:</p>
<ol>
<li><strong>Hur säker är du på en skala 0–10</strong> på att ni når nyckelresultaten innan kvartalet är slut?</li>
<li><strong>Hur har nyckelresultaten gått framåt</strong> sedan förra veckan?</li>
</ol>
<p>En ärlig bedömning hjälper mest. Sjunkande tilltro är inget misslyckande, utan information som teamet ännu hinner agera på.</p>
{{#if checkIn.scoring}}<p>Kvartalet närmar sig sitt slut, så formuläret frågar också efter ett slutbetyg (0,0–1,0) för varje nyckelresultat. För åtaganden är målet 1,0; för ambitiösa nyckelresultat är 0,6–0,7 ett bra utfall.</p>
{{/if}}{{#if links.action}}{{button links.action "Rapportera veckans läge"}}
{{else}}<p>Ta med din bedömning till teamets nästa veckomöte.</p>
{{/if}}`,
  },
  en: {
    subject: 'Week {{quarter.week}}: how are your key results doing?',
    body: `<p>Hi {{recipient.firstName}},</p>
<p>Time for this week's check-in. Two questions, about a minute:</p>
<ol>
<li><strong>How confident are you, on a scale of 0–10,</strong> that you will reach your key results by the end of the quarter?</li>
<li><strong>How have the key results progressed</strong> since last week?</li>
</ol>
<p>An honest estimate helps most. Falling confidence is not a failure; it is information the team still has time to act on.</p>
{{#if checkIn.scoring}}<p>The quarter is ending, so the form also asks for each key result's final score (0.0–1.0). Committed results are expected to reach 1.0; for aspirational ones, 0.6–0.7 is a healthy result.</p>
{{/if}}{{#if links.action}}{{button links.action "Record this week's check-in"}}
{{else}}<p>Bring your estimate to the team's next weekly meeting.</p>
{{/if}}`,
  },
};
