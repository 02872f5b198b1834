import type { MailLocale, TemplateContent } from '../template-catalogue';

/** An invitation to a workspace; the role is named in the reader's language, never as its code. */
export const MEMBER_INVITATION: Record<MailLocale, TemplateContent> = {
  fi: {
    subject: '{{inviter.name}} kutsui sinut Luotsiin: {{workspace.name}}',
    body: `<p>Hei {{recipient.firstName}},</p>
<p>{{inviter.name}} kutsui sinut Luotsin työtilaan {{workspace.name}} {{#if (eq role "owner")}}omistajaksi{{else if (eq role "coach")}}valmentajaksi{{else if (eq role "sponsor")}}sponsoriksi{{else}}rooliin {{role}}{{/if}}.</p>
<p>Luotsilla OKR-valmentajat vievät OKR-mallin organisaatioon vaiheittain: ensin pilottiryhmät, sitten laajemmat aallot. {{#if (eq role "sponsor")}}Sponsorina luet käyttöönoton valmiusraportin ja kirjaat päätöksen seuraavasta vaiheesta.{{else}}Pääset suunnittelemaan käyttöönottoja, seuraamaan pilottien etenemistä ja lukemaan oppimisraportteja.{{/if}}</p>
<p>Hyväksy kutsu ja aseta itsellesi salasana. Linkki on voimassa rajoitetun ajan.</p>
{{button links.action "Hyväksy kutsu"}}
`,
  },
  sv: {
    subject: '{{inviter.name}} har bjudit in dig till Luotsi: {{workspace.name}}',
    body: `<p>Hej {{recipient.firstName}},</p>
<p>{{inviter.name}} har bjudit in dig till arbetsytan {{workspace.name}} i Luotsi som {{#if (eq role "owner")}}ägare{{else if (eq role "coach")}}coach{{else if (eq role "sponsor")}}sponsor{{else}}{{role}}{{/if}}.</p>
<p>Med Luotsi inför OKR-coacher OKR-modellen stegvis: först pilotgrupper, sedan bredare vågor. {{#if (eq role "sponsor")}}Som sponsor läser du införandets beredskapsrapport och registrerar beslutet om nästa steg.{{else}}Du kan planera införanden, följa hur piloterna framskrider och läsa läranderapporterna.{{/if}}</p>
<p>Tacka ja till inbjudan och välj ett lösenord. Länken gäller en begränsad tid.</p>
{{button links.action "Tacka ja till inbjudan"}}
`,
  },
  en: {
    subject: '{{inviter.name}} invited you to Luotsi: {{workspace.name}}',
    body: `<p>Hi {{recipient.firstName}},</p>
<p>{{inviter.name}} has invited you to the {{workspace.name}} workspace in Luotsi as {{#if (eq role "owner")}}an owner{{else if (eq role "coach")}}a coach{{else if (eq role "sponsor")}}a sponsor{{else}}{{role}}{{/if}}.</p>
<p>With Luotsi, OKR coaches roll OKRs out in stages: pilot groups first, then wider waves. {{#if (eq role "sponsor")}}As a sponsor, you read the roll-out's readiness report and record the decision on the next step.{{else}}You can plan roll-outs, follow how the pilots progress and read the learning reports.{{/if}}</p>
<p>Accept the invitation and choose a password. The link is valid for a limited time.</p>
{{button links.action "Accept the invitation"}}
`,
  },
};
