import type { MailLocale, TemplateContent } from '../template-catalogue';

/** Two weeks before the next quarter: the draft OKRs are open for comments, through a personal link. */
export const PLANNING_OPEN: Record<MailLocale, TemplateContent> = {
  fi: {
    subject: 'Neljänneksen {{planning.quarterLabel}} OKR-luonnokset odottavat näkemystäsi',
    body: `<p>Hei {{recipient.firstName}},</p>
<p>pilottiryhmän {{pilot.name}} seuraavan neljänneksen ({{planning.quarterLabel}}) tavoitteet ja avaintulokset ovat luonnoksina. Ne paranevat, kun niitä kantavat ihmiset sanovat sanansa ennen kuin neljännes alkaa.</p>
<p>Kommentoi luonnoksia, ehdota parempaa muotoilua tai kerro, jos voit ottaa jonkin avaintuloksen vastuullesi. Tämä on keskustelu, ei kysely: nimesi näkyy kommenttisi yhteydessä pilottiryhmälle.</p>
{{button links.action "Avaa OKR-luonnokset"}}
<p>Keskustelu on auki {{date planning.closesOn}} asti; silloin neljännes alkaa ja OKR:t lukitaan.</p>
{{#if coach}}<p>Terveisin {{coach.name}}</p>
{{/if}}`,
  },
  sv: {
    subject: 'OKR-utkasten för {{planning.quarterLabel}} väntar på dina synpunkter',
    body: `<p>Hej {{recipient.firstName}},</p>
<p>målen och nyckelresultaten för pilotgruppen {{pilot.name}}s nästa kvartal ({{planning.quarterLabel}}) finns som utkast. De blir bättre när de som ska bära dem säger sitt innan kvartalet börjar.</p>
<p>Kommentera utkasten, föreslå en bättre formulering eller säg till om du kan ta ansvar för ett nyckelresultat. Det här är ett samtal, ingen enkät: ditt namn visas för pilotgruppen vid det du skriver.</p>
{{button links.action "Öppna OKR-utkasten"}}
<p>Samtalet är öppet till den {{date planning.closesOn}}; då börjar kvartalet och OKR:erna låses.</p>
{{#if coach}}<p>Hälsningar {{coach.name}}</p>
{{/if}}`,
  },
  en: {
    subject: 'The draft OKRs for {{planning.quarterLabel}} are waiting for your view',
    body: `<p>Hi {{recipient.firstName}},</p>
<p>The objectives and key results of the {{pilot.name}} pilot group's next quarter ({{planning.quarterLabel}}) are in draft. They get better when the people who will carry them have their say before the quarter starts.</p>
<p>Comment on the drafts, propose a better wording, or say if you can own a key result. This is a dialogue, not a survey: your name shows to the pilot group next to what you write.</p>
{{button links.action "Open the draft OKRs"}}
<p>The dialogue is open until {{date planning.closesOn}}; then the quarter starts and the OKRs are locked.</p>
{{#if coach}}<p>Best regards, {{coach.name}}</p>
{{/if}}`,
  },
};
