import type { MailLocale, TemplateContent } from '../template-catalogue';

/**
 * To the coach: a pilot's learning report for a quarter is ready to read. To sponsors: the rollout's
 * readiness report, which ends in their decision.
 */
export const REPORT_READY: Record<MailLocale, TemplateContent> = {
  fi: {
    subject:
      '{{#if report.readiness}}Valmiusraportti valmis: {{organization.name}}{{else}}Oppimisraportti valmis: {{pilot.name}}, {{quarter.label}}{{/if}}',
    body: `<p>Hei {{recipient.firstName}},</p>
{{#if report.readiness}}<p>valmiusraportti on valmis: {{organization.name}}. Se kertoo, onko OKR-käyttöönotto valmis laajenemaan seuraavaan aaltoon.</p>
<p>Jokaisella portilla (osallistuminen, vastausaste, check-in-rytmi, tulosten terveys, ihmisten valmius, suunta, valmentajien riittävyys) näkyvät raja-arvo ja luvut, joihin arvio perustuu, sekä ehdotus seuraavasta aallosta. Kirjatkaa päätöksenne raportin yhteyteen: jatketaan, pidennetään, muutetaan tai lopetetaan.</p>
{{button links.action "Avaa valmiusraportti"}}
{{else}}<p>oppimisraportti on valmis: pilotti {{pilot.name}} ({{organization.name}}), neljännes {{quarter.label}}.</p>
<p>Raportissa ovat vastausprosentit, retrospektiivin tulokset ja niiden kehitys neljänneksittäin, OKR-pisteiden jakauma, avovastausten teemat sekä vertailu muihin pilotteihin.</p>
<p>Katso ensin trendit, sitten poikkeamat. Pilotin tulosten pitäisi alkaa näkyä kahden neljänneksen kuluessa; jos käyrä poikkeaa tästä, raportti nostaa sen esiin.</p>
{{button links.action "Avaa oppimisraportti"}}
{{/if}}`,
  },
  sv: {
    subject:
      '{{#if report.readiness}}Beredskapsrapporten är klar: {{organization.name}}{{else}}Läranderapporten är klar: {{pilot.name}}, {{quarter.label}}{{/if}}',
    body: `<p>Hej {{recipient.firstName}},</p>
{{#if report.readiness}}<p>beredskapsrapporten är klar: {{organization.name}}. Den visar om införandet av OKR är redo att breddas till nästa våg.</p>
<p>Varje grind (deltagande, svarsfrekvens, avstämningsrytm, resultatens hälsa, människornas beredskap, riktning, coachkapacitet) visar sitt gränsvärde och siffrorna bakom bedömningen, och rapporten föreslår nästa våg. Registrera ert beslut i rapporten: gå vidare, förläng, justera eller avbryt.</p>
{{button links.action "Öppna beredskapsrapporten"}}
{{else}}<p>läranderapporten är klar: piloten {{pilot.name}} ({{organization.name}}), kvartalet {{quarter.label}}.</p>
<p>Rapporten visar svarsfrekvenser, retrospektivens resultat och hur de har utvecklats från kvartal till kvartal, fördelningen av OKR-poäng, teman i de fria svaren och en jämförelse med de andra piloterna.</p>
<p>Titta först på trenderna, sedan på avvikelserna. En pilot bör visa resultat inom två kvartal; avviker kurvan från det lyfter rapporten fram det.</p>
{{button links.action "Öppna läranderapporten"}}
{{/if}}`,
  },
  en: {
    subject:
      '{{#if report.readiness}}Readiness report ready: {{organization.name}}{{else}}Learning report ready: {{pilot.name}}, {{quarter.label}}{{/if}}',
    body: `<p>Hi {{recipient.firstName}},</p>
{{#if report.readiness}}<p>The readiness report is ready: {{organization.name}}. It shows whether the OKR rollout is ready to widen to its next wave.</p>
<p>Each gate (participation, response rate, check-in rhythm, outcome health, people readiness, trend, coach capacity) shows its threshold and the numbers it used, and the report proposes the next wave. Record your decision with the report: go, extend, adjust or stop.</p>
{{button links.action "Open the readiness report"}}
{{else}}<p>The learning report is ready: pilot {{pilot.name}} ({{organization.name}}), quarter {{quarter.label}}.</p>
<p>It shows response rates, the retrospective's results and their trend over the quarters, the distribution of OKR scores, themes from the free-text answers and a comparison with the other pilots.</p>
<p>Look at the trends first, then at the outliers. A pilot should show results within two quarters; where its curve deviates from that, the report flags it.</p>
{{button links.action "Open the learning report"}}
{{/if}}`,
  },
};
