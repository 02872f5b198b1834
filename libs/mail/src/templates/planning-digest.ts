import type { MailLocale, TemplateContent } from '../template-catalogue';

/**
 * At most once a day while a quarter's drafts are discussed: what others said yesterday on the drafts a
 * person commented on or owns, with their link back to the page. Sent only when there is something new.
 */
export const PLANNING_DIGEST: Record<MailLocale, TemplateContent> = {
  fi: {
    subject: 'OKR-luonnokset {{planning.quarterLabel}}: uutta keskustelussa',
    body: `<p>Hei {{recipient.firstName}},</p>
<p>pilottiryhmän {{pilot.name}} OKR-luonnoksista on kirjoitettu uutta ({{date planning.day}}) luonnoksiin, joita olet kommentoinut tai joista vastaat. Uusia merkintöjä: {{digest.count}}.</p>
{{list digest.items}}
{{button links.action "Avaa OKR-luonnokset"}}
<p>Saat tällaisen koosteen enintään kerran päivässä, ja vain kun on jotain uutta. Keskustelu on auki {{date planning.closesOn}} asti.</p>`,
  },
  sv: {
    subject: 'OKR-utkasten för {{planning.quarterLabel}}: nytt i samtalet',
    body: `<p>Hej {{recipient.firstName}},</p>
<p>det har skrivits nytt ({{date planning.day}}) om pilotgruppen {{pilot.name}}s OKR-utkast som du har kommenterat eller ansvarar för. Nya inlägg: {{digest.count}}.</p>
{{list digest.items}}
{{button links.action "Öppna OKR-utkasten"}}
<p>Du får en sådan sammanfattning högst en gång om dagen, och bara när det finns något nytt. Samtalet är öppet till den {{date planning.closesOn}}.</p>`,
  },
  en: {
    subject: 'Draft OKRs for {{planning.quarterLabel}}: new in the dialogue',
    body: `<p>Hi {{recipient.firstName}},</p>
<p>There is something new ({{date planning.day}}) on the {{pilot.name}} pilot group's draft OKRs that you commented on or own. New entries: {{digest.count}}.</p>
{{list digest.items}}
{{button links.action "Open the draft OKRs"}}
<p>You get a digest like this at most once a day, and only when there is something new. The dialogue is open until {{date planning.closesOn}}.</p>`,
  },
};

/** To the pilot's coach, once a day while the drafts are discussed: everything said the day before. */
export const PLANNING_DIGEST_COACH: Record<MailLocale, TemplateContent> = {
  fi: {
    subject: 'OKR-luonnokset {{planning.quarterLabel}}: päivän keskustelu, {{pilot.name}}',
    body: `<p>Hei {{recipient.firstName}},</p>
<p>pilottiryhmän {{pilot.name}} ({{organization.name}}) OKR-luonnoksista kirjoitettiin {{date planning.day}} {{digest.count}} merkintää; kirjoittajia {{digest.people}}.</p>
{{list digest.items}}
<p>Hyväksy muotoiluehdotukset ja vastuunotot tai kuittaa kommentit käsitellyiksi ennen kuin keskustelu sulkeutuu {{date planning.closesOn}}.</p>
{{button links.action "Avaa suunnitteludialogi"}}`,
  },
  sv: {
    subject: 'OKR-utkasten för {{planning.quarterLabel}}: dagens samtal, {{pilot.name}}',
    body: `<p>Hej {{recipient.firstName}},</p>
<p>om pilotgruppen {{pilot.name}}s ({{organization.name}}) OKR-utkast skrevs {{digest.count}} inlägg den {{date planning.day}}; antal skribenter {{digest.people}}.</p>
{{list digest.items}}
<p>Godta formuleringsförslag och erbjudanden att ta ansvar, eller markera kommentarerna som behandlade, innan samtalet stängs den {{date planning.closesOn}}.</p>
{{button links.action "Öppna planeringsdialogen"}}`,
  },
  en: {
    subject: 'Draft OKRs for {{planning.quarterLabel}}: the day in the dialogue, {{pilot.name}}',
    body: `<p>Hi {{recipient.firstName}},</p>
<p>On {{date planning.day}}, {{digest.count}} entries were written on the {{pilot.name}} pilot group's ({{organization.name}}) draft OKRs, by {{digest.people}} people.</p>
{{list digest.items}}
<p>Accept rewordings and offers to own, or resolve the comments, before the dialogue closes on {{date planning.closesOn}}.</p>
{{button links.action "Open the planning dialogue"}}`,
  },
};
