import type { MailLocale, TemplateContent } from '../template-catalogue';

/** To the coach: a pilot's learning report for a quarter is ready to read. */
export const REPORT_READY: Record<MailLocale, TemplateContent> = {
  fi: {
    subject: 'Oppimisraportti valmis: {{pilot.name}}, {{quarter.label}}',
    body: `<p>Hei {{recipient.firstName}},</p>
<p>oppimisraportti on valmis: pilotti {{pilot.name}} ({{organization.name}}), neljännes {{quarter.label}}.</p>
<p>Raportissa ovat vastausprosentit, retrospektiivin tulokset ja niiden kehitys neljänneksittäin, OKR-pisteiden jakauma, avovastausten teemat sekä vertailu muihin pilotteihin.</p>
<p>Katso ensin trendit, sitten poikkeamat. Pilotin tulosten pitäisi alkaa näkyä kahden neljänneksen kuluessa; jos käyrä poikkeaa tästä, raportti nostaa sen esiin.</p>
{{button links.action "Avaa oppimisraportti"}}
`,
  },
  sv: {
    subject: 'Läranderapporten är klar: {{pilot.name}}, {{quarter.label}}',
    body: `<p>Hej {{recipient.firstName}},</p>
<p>läranderapporten är klar: piloten {{pilot.name}} ({{organization.name}}), kvartalet {{quarter.label}}.</p>
<p>Rapporten visar svarsfrekvenser, retrospektivens resultat och hur de har utvecklats från kvartal till kvartal, fördelningen av OKR-poäng, teman i de fria svaren och en jämförelse med de andra piloterna.</p>
<p>Titta först på trenderna, sedan på avvikelserna. En pilot bör visa resultat inom två kvartal; avviker kurvan från det lyfter rapporten fram det.</p>
{{button links.action "Öppna läranderapporten"}}
`,
  },
  en: {
    subject: 'Learning report ready: {{pilot.name}}, {{quarter.label}}',
    body: `<p>Hi {{recipient.firstName}},</p>
<p>The learning report is ready: pilot {{pilot.name}} ({{organization.name}}), quarter {{quarter.label}}.</p>
<p>It shows response rates, the retrospective's results and their trend over the quarters, the distribution of OKR scores, themes from the free-text answers and a comparison with the other pilots.</p>
<p>Look at the trends first, then at the outliers. A pilot should show results within two quarters; where its curve deviates from that, the report flags it.</p>
{{button links.action "Open the learning report"}}
`,
  },
};
