import type { MailLocale, TemplateContent } from '../template-catalogue';

/**
 * To the coach: a pilot's learning report for a quarter is ready to read. To sponsors: the rollout's
 * readiness report, which ends in their decision: recorded in the console by a sponsor with an account;
 * one without is told to ask the coach for an invitation.
 */
export const REPORT_READY: Record<MailLocale, TemplateContent> = {
  fi: {
    subject:
      '{{#if report.readiness}}Valmiusraportti valmis: {{organization.name}}{{else}}Oppimisraportti valmis: {{pilot.name}}, {{quarter.label}}{{/if}}',
    body: `<p>Hei {{recipient.firstName}},</p>
{{#if report.readiness}}<p>valmiusraportti on valmis: {{organization.name}}. Se kertoo, onko OKR-käyttöönotto valmis laajenemaan seuraavaan aaltoon.</p>
<p>Jokaisella portilla (osallistuminen, vastausaste, check-in-rytmi, tulosten terveys, ihmisten valmius, suunta, valmentajien riittävyys) näkyvät raja-arvo ja luvut, joihin arvio perustuu, sekä ehdotus seuraavasta aallosta. Päätös seuraavasta askeleesta on sponsorien: jatketaan, pidennetään, muutetaan tai lopetetaan.</p>
{{button links.action "Avaa valmiusraportti"}}
{{#if report.account}}<p>Kirjaa päätös perusteluineen Luotsissa: <a href="{{links.console}}">valmiusraportti ja päätös</a>.</p>
{{else}}<p>Linkillä voit lukea raportin. Päätöksen kirjaamiseen tarvitset Luotsin käyttäjätunnuksen: pyydä valmentajalta kutsu sponsoriksi.</p>
{{/if}}
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
<p>Varje grind (deltagande, svarsfrekvens, avstämningsrytm, resultatens hälsa, människornas beredskap, riktning, coachkapacitet) visar sitt gränsvärde och siffrorna bakom bedömningen, och rapporten föreslår nästa våg. Beslutet om nästa steg fattas av sponsorerna: gå vidare, förläng, justera eller avbryt.</p>
{{button links.action "Öppna beredskapsrapporten"}}
{{#if report.account}}<p>Registrera beslutet med motivering i Luotsi: <a href="{{links.console}}">beredskapsrapporten och beslutet</a>.</p>
{{else}}<p>Med länken kan du läsa rapporten. För att registrera ett beslut behöver du ett konto i Luotsi: be coachen om en inbjudan som sponsor.</p>
{{/if}}
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
<p>Each gate (participation, response rate, check-in rhythm, outcome health, people readiness, trend, coach capacity) shows its threshold and the numbers it used, and the report proposes the next wave. The decision on the next step is the sponsors': go, extend, adjust or stop.</p>
{{button links.action "Open the readiness report"}}
{{#if report.account}}<p>Record your decision, with its reason, in Luotsi: <a href="{{links.console}}">the readiness report and decision</a>.</p>
{{else}}<p>The link lets you read the report. To record a decision you need a Luotsi account: ask your coach for an invitation as a sponsor.</p>
{{/if}}
{{else}}<p>The learning report is ready: pilot {{pilot.name}} ({{organization.name}}), quarter {{quarter.label}}.</p>
<p>It shows response rates, the retrospective's results and their trend over the quarters, the distribution of OKR scores, themes from the free-text answers and a comparison with the other pilots.</p>
<p>Look at the trends first, then at the outliers. A pilot should show results within two quarters; where its curve deviates from that, the report flags it.</p>
{{button links.action "Open the learning report"}}
{{/if}}`,
  },
};
