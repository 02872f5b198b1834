import type { Locale } from '@luotsi/database';

/** The unsubscribe pages in the participant's language. */
export const UNSUBSCRIBE_TEXTS: Record<
  Locale,
  {
    title: string;
    confirm: (org: string | null) => string;
    button: string;
    done: string;
    doneBody: string;
  }
> = {
  fi: {
    title: 'Viestien tilaus',
    confirm: (org) =>
      `Haluatko lopettaa OKR-pilotin valmennusviestit${org ? ` (${org})` : ''}? Et saa sen jälkeen enää muistutuksia etkä kyselyjä.`,
    button: 'Lopeta viestit',
    done: 'Viestit on lopetettu',
    doneBody:
      'Emme lähetä sinulle enää pilotin viestejä. Jos tämä oli vahinko, kerro asiasta valmentajallesi.',
  },
  sv: {
    title: 'Prenumeration',
    confirm: (org) =>
      `Vill du avsluta coachningsmejlen från OKR-piloten${org ? ` (${org})` : ''}? Efter det får du inga påminnelser eller enkäter.`,
    button: 'Avsluta utskicken',
    done: 'Utskicken är avslutade',
    doneBody: 'Vi skickar inga fler mejl från piloten till dig. Om det blev fel, hör av dig till din coach.',
  },
  en: {
    title: 'Email preferences',
    confirm: (org) =>
      `Do you want to stop the OKR pilot's coaching emails${org ? ` (${org})` : ''}? You will get no more reminders or surveys.`,
    button: 'Unsubscribe',
    done: 'You are unsubscribed',
    doneBody: 'We will send you no more emails from the pilot. If this was a mistake, tell your coach.',
  },
};
