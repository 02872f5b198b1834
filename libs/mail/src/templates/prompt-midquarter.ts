import type { MailLocale, TemplateContent } from '../template-catalogue';

/** Mid-quarter: a pause to check the key results, the blockers and the direction of confidence. */
export const PROMPT_MIDQUARTER: Record<MailLocale, TemplateContent> = {
  fi: {
    subject: 'Puoliväli: ovatko avaintuloksenne yhä oikeat, {{recipient.firstName}}?',
    body: `<p>Hei {{recipient.firstName}},</p>
<p>neljänneksen {{quarter.label}} viikko {{quarter.week}} on käsillä, ja matkaa on kuljettu noin puolet. Nyt on hyvä hetki pysähtyä, ennen kuin loppukiri vie mukanaan.</p>
<ul>
<li><strong>Ovatko avaintulokset yhä oikeat?</strong> Jos jokin niistä ei enää mittaa sitä, mitä tavoitteella tarkoititte, sano se ääneen nyt eikä vasta neljänneksen lopussa.</li>
<li><strong>Mikä on tiellä?</strong> Nimeä yksi este ja joku, joka voi auttaa sen raivaamisessa.</li>
<li><strong>Miten luottamuksesi on muuttunut?</strong> Suunta kertoo enemmän kuin taso. Jos luottamus on laskenut viime viikkoina, ota se puheeksi tiimin kanssa jo tällä viikolla.</li>
</ul>
<p>Muista mittakaava: kunnianhimoisissa avaintuloksissa 0,6–0,7 on hyvä tulos, sitovissa tähdätään täyteen ykköseen. Tavoitteita saa kyseenalaistaa – pilotissa juuri niin opitaan.</p>
{{#if coach}}<p>Tsemppiä loppuneljännekseen toivottaa {{coach.name}}</p>
{{/if}}`,
  },
  sv: {
    subject: 'Halvvägs: är era nyckelresultat fortfarande de rätta, {{recipient.firstName}}?',
    body: `<p>Hej {{recipient.firstName}},</p>
<p>nu är det vecka {{quarter.week}} av {{quarter.label}}, och ungefär halva kvartalet ligger bakom er. Ett bra läge att stanna upp innan slutspurten tar över.</p>
<ul>
<li><strong>Är nyckelresultaten fortfarande de rätta?</strong> Om något av dem inte längre mäter det ni menade med målet, säg det nu och inte först när kvartalet är slut.</li>
<li><strong>Vad står i vägen?</strong> Nämn ett hinder och någon som kan hjälpa till att röja det.</li>
<li><strong>Hur har din tilltro förändrats?</strong> Riktningen säger mer än nivån. Har tilltron sjunkit de senaste veckorna, ta upp det med teamet redan den här veckan.</li>
</ul>
<p>Kom ihåg skalan: för ambitiösa nyckelresultat är 0,6–0,7 ett bra utfall, medan åtagandena ska nås fullt ut. Det är tillåtet att ifrågasätta målen – det är så en pilot lär sig.</p>
{{#if coach}}<p>Lycka till med resten av kvartalet önskar {{coach.name}}</p>
{{/if}}`,
  },
  en: {
    subject: 'Halfway: are your key results still the right ones, {{recipient.firstName}}?',
    body: `<p>Hi {{recipient.firstName}},</p>
<p>It's week {{quarter.week}} of {{quarter.label}}, about halfway through. A good moment to pause before the final stretch takes over.</p>
<ul>
<li><strong>Are the key results still the right ones?</strong> If one no longer measures what you meant by the objective, say so now rather than at the end of the quarter.</li>
<li><strong>What is blocking you?</strong> Name one obstacle and someone who can help clear it.</li>
<li><strong>How has your confidence moved?</strong> The direction matters more than the level. If it has dropped over the past weeks, raise it with your team this week.</li>
</ul>
<p>Remember the scale: for aspirational key results 0.6–0.7 is a good outcome, while committed ones are meant to be met in full. Questioning the goals is allowed – that is how a pilot learns.</p>
{{#if coach}}<p>All the best for the rest of the quarter, {{coach.name}}</p>
{{/if}}`,
  },
};
