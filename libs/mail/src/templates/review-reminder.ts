import type { MailLocale, TemplateContent } from '../template-catalogue';

/**
 * To the coach, once a quarter: the quarter has ended and the pilot did not move on by itself, because
 * the coach asked it to wait for a review, or because it was the pilot's last quarter.
 */
export const REVIEW_REMINDER: Record<MailLocale, TemplateContent> = {
  fi: {
    subject: 'Pilotti odottaa katselmointia: {{pilot.name}}, {{quarter.label}}',
    body: `<p>Hei {{recipient.firstName}},</p>
<p>neljännes {{quarter.label}} päättyi {{date quarter.endsOn}}, ja pilotti {{pilot.name}} ({{organization.name}}) odottaa katselmointiasi ennen kuin se jatkaa.</p>
<p>Avaa pilotti Luotsin konsolissa ja valitse seuraava askel: siirry seuraavaan neljännekseen, aloita katselmointi tai, jos haluat pilotin jatkavan jatkossa itsestään, poista odotus käytöstä.</p>
<p>Kunnes päätät, pilotille ei lähetetä uuden neljänneksen viestejä.</p>
`,
  },
  sv: {
    subject: 'Piloten väntar på granskning: {{pilot.name}}, {{quarter.label}}',
    body: `<p>Hej {{recipient.firstName}},</p>
<p>kvartalet {{quarter.label}} tog slut {{date quarter.endsOn}}, och piloten {{pilot.name}} ({{organization.name}}) väntar på din granskning innan den går vidare.</p>
<p>Öppna piloten i Luotsis konsol och välj nästa steg: gå vidare till nästa kvartal, börja granskningen eller, om piloten hädanefter ska gå vidare av sig själv, slå av väntan.</p>
<p>Tills du bestämmer dig skickas inga meddelanden för ett nytt kvartal.</p>
`,
  },
  en: {
    subject: 'Pilot waiting for review: {{pilot.name}}, {{quarter.label}}',
    body: `<p>Hi {{recipient.firstName}},</p>
<p>Quarter {{quarter.label}} ended on {{date quarter.endsOn}}, and pilot {{pilot.name}} ({{organization.name}}) is waiting for your review before it moves on.</p>
<p>Open the pilot in the Luotsi console and choose the next step: advance to the next quarter, start the review, or, if it should move on by itself from now on, turn waiting off.</p>
<p>Until you decide, no mail of a new quarter goes to the pilot.</p>
`,
  },
};
