import type { MailLocale, TemplateContent } from '../template-catalogue';

/** After sign-up: the owner confirms the address; until then the workspace's own mail waits. */
export const ACCOUNT_CONFIRMATION: Record<MailLocale, TemplateContent> = {
  fi: {
    subject: 'Vahvista sähköpostiosoitteesi: {{workspace.name}}',
    body: `<p>Hei {{recipient.firstName}},</p>
<p>Loit Luotsiin työtilan {{workspace.name}}. Vahvista, että tämä osoite on sinun: vahvistus kirjaa sinut myös sisään.</p>
<p>Työtilasi viestit osallistujille odottavat, kunnes osoite on vahvistettu. Linkki on voimassa rajoitetun ajan ja toimii kerran.</p>
{{button links.action "Vahvista osoite"}}
`,
  },
  sv: {
    subject: 'Bekräfta din e-postadress: {{workspace.name}}',
    body: `<p>Hej {{recipient.firstName}},</p>
<p>Du har skapat arbetsytan {{workspace.name}} i Luotsi. Bekräfta att adressen är din: bekräftelsen loggar också in dig.</p>
<p>Arbetsytans meddelanden till deltagarna väntar tills adressen är bekräftad. Länken gäller en begränsad tid och fungerar en gång.</p>
{{button links.action "Bekräfta adressen"}}
`,
  },
  en: {
    subject: 'Confirm your email address: {{workspace.name}}',
    body: `<p>Hi {{recipient.firstName}},</p>
<p>You created the {{workspace.name}} workspace in Luotsi. Confirm that this address is yours: confirming also signs you in.</p>
<p>Your workspace's mail to participants waits until the address is confirmed. The link is valid for a limited time and works once.</p>
{{button links.action "Confirm the address"}}
`,
  },
};

/** Someone signed up with an address that already has an account: no second account, a word to its owner. */
export const ACCOUNT_NOTICE: Record<MailLocale, TemplateContent> = {
  fi: {
    subject: 'Sinulla on jo Luotsi-tili',
    body: `<p>Hei {{recipient.firstName}},</p>
<p>Joku, ehkä sinä, yritti luoda Luotsiin uuden työtilan tällä osoitteella. Osoitteella on jo tili, joten uutta ei luotu.</p>
<p>Kirjaudu sisään tavalliseen tapaan. Jos et muista salasanaa, voit asettaa uuden.</p>
{{button links.signIn "Kirjaudu sisään"}}
<p><a href="{{links.reset}}">Unohditko salasanan?</a></p>
`,
  },
  sv: {
    subject: 'Du har redan ett konto i Luotsi',
    body: `<p>Hej {{recipient.firstName}},</p>
<p>Någon, kanske du, försökte skapa en ny arbetsyta i Luotsi med den här adressen. Adressen har redan ett konto, så inget nytt skapades.</p>
<p>Logga in som vanligt. Om du inte minns lösenordet kan du välja ett nytt.</p>
{{button links.signIn "Logga in"}}
<p><a href="{{links.reset}}">Glömt lösenordet?</a></p>
`,
  },
  en: {
    subject: 'You already have a Luotsi account',
    body: `<p>Hi {{recipient.firstName}},</p>
<p>Someone, perhaps you, tried to create a new workspace in Luotsi with this address. The address already has an account, so no new one was created.</p>
<p>Sign in as usual. If you do not remember your password, you can choose a new one.</p>
{{button links.signIn "Sign in"}}
<p><a href="{{links.reset}}">Forgot your password?</a></p>
`,
  },
};

/** The single-use link that sets a new password. */
export const PASSWORD_RESET: Record<MailLocale, TemplateContent> = {
  fi: {
    subject: 'Uusi salasana Luotsiin',
    body: `<p>Hei {{recipient.firstName}},</p>
<p>Joku, ehkä sinä, pyysi uutta salasanaa tähän Luotsi-tiliin. Linkki toimii kerran ja vanhenee pian.</p>
{{button links.action "Aseta uusi salasana"}}
<p>Jos et pyytänyt uutta salasanaa, voit jättää viestin huomiotta: salasanasi pysyy ennallaan.</p>
`,
  },
  sv: {
    subject: 'Nytt lösenord till Luotsi',
    body: `<p>Hej {{recipient.firstName}},</p>
<p>Någon, kanske du, bad om ett nytt lösenord till det här kontot i Luotsi. Länken fungerar en gång och slutar snart gälla.</p>
{{button links.action "Välj ett nytt lösenord"}}
<p>Om du inte bad om ett nytt lösenord kan du bortse från meddelandet: ditt lösenord förblir detsamma.</p>
`,
  },
  en: {
    subject: 'A new password for Luotsi',
    body: `<p>Hi {{recipient.firstName}},</p>
<p>Someone, perhaps you, asked for a new password for this Luotsi account. The link works once and expires soon.</p>
{{button links.action "Choose a new password"}}
<p>If you did not ask for a new password, you can ignore this email: your password stays as it is.</p>
`,
  },
};
