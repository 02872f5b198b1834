import type { AnonymityMode, Locale } from '@luotsi/database';
import type { RefusalTexts, Words } from './error-page';

/** The retrospective pages' own words; questions and scale labels come with the question set. */
export const RETROSPECTIVE_TEXTS: Record<
  Locale,
  {
    language: string;
    title: string;
    intro: (pilot: string, quarter: string) => string;
    anonymity: Record<AnonymityMode, string>;
    required: string;
    optional: string;
    submit: string;
    update: string;
    errorTitle: string;
    thanksTitle: string;
    thanksBody: string;
    changeUntil: (date: string) => string;
    otherLanguages: string;
  }
> = {
  fi: {
    language: 'Suomi',
    title: 'Retrospektiivi',
    intro: (pilot, quarter) => `${pilot} · ${quarter}. Vastaaminen vie noin viisi minuuttia.`,
    anonymity: {
      anonymous:
        'Vastauksesi on nimetön: sitä ei voi yhdistää sinuun, eikä sitä voi muuttaa lähettämisen jälkeen.',
      confidential:
        'Vastauksesi on luottamuksellinen: valmentaja näkee vain yhteenvedot, ei sinun vastauksiasi.',
      named: 'Vastauksesi näkyy valmentajalle nimelläsi.',
    },
    required: 'pakollinen',
    optional: 'vapaaehtoinen',
    submit: 'Lähetä vastaukset',
    update: 'Tallenna muutokset',
    errorTitle: 'Tarkista nämä kohdat',
    thanksTitle: 'Kiitos vastauksistasi!',
    thanksBody:
      'Valmentaja kokoaa vastaukset neljänneksen oppimisraporttiin, ja seuraava neljännes rakentuu niiden varaan.',
    changeUntil: (date) => `Voit muuttaa vastauksiasi samasta linkistä ${date} asti.`,
    otherLanguages: 'Kieli',
  },
  sv: {
    language: 'Svenska',
    title: 'Retrospektiv',
    intro: (pilot, quarter) => `${pilot} · ${quarter}. Det tar ungefär fem minuter att svara.`,
    anonymity: {
      anonymous:
        'Ditt svar är anonymt: det kan inte kopplas till dig och kan inte ändras efter att du skickat det.',
      confidential: 'Ditt svar är konfidentiellt: coachen ser bara sammanställningar, inte dina svar.',
      named: 'Coachen ser ditt svar med ditt namn.',
    },
    required: 'obligatorisk',
    optional: 'frivillig',
    submit: 'Skicka svaren',
    update: 'Spara ändringarna',
    errorTitle: 'Kontrollera de här punkterna',
    thanksTitle: 'Tack för dina svar!',
    thanksBody: 'Coachen sammanställer svaren i kvartalets lärandrapport, och nästa kvartal bygger på dem.',
    changeUntil: (date) => `Du kan ändra dina svar via samma länk till och med ${date}.`,
    otherLanguages: 'Språk',
  },
  en: {
    language: 'English',
    title: 'Retrospective',
    intro: (pilot, quarter) => `${pilot} · ${quarter}. It takes about five minutes.`,
    anonymity: {
      anonymous: 'Your answer is anonymous: it cannot be traced to you, and it cannot be changed once sent.',
      confidential: 'Your answer is confidential: the coach sees summaries only, never your answers.',
      named: 'The coach sees your answer with your name.',
    },
    required: 'required',
    optional: 'optional',
    submit: 'Send my answers',
    update: 'Save my changes',
    errorTitle: 'Please check these',
    thanksTitle: 'Thank you for your answers!',
    thanksBody:
      "The coach gathers the answers into the quarter's learning report, and the next quarter builds on them.",
    changeUntil: (date) => `You can change your answers with the same link until ${date}.`,
    otherLanguages: 'Language',
  },
};

/** An anonymous answer is in: posted again (used), or its form opened again (answered, gone for good). */
const ANSWERED: Record<Locale, Words> = {
  fi: { title: 'Olet jo vastannut', body: 'Tähän kyselyyn on jo vastattu tällä linkillä. Kiitos!' },
  sv: { title: 'Du har redan svarat', body: 'Enkäten har redan besvarats med den här länken. Tack!' },
  en: {
    title: 'You have already answered',
    body: 'This survey has already been answered with this link. Thank you!',
  },
};

/** How a retrospective link is refused: its anonymous answer is in, or its run closed or it expired. */
export const RETROSPECTIVE_REFUSALS: Record<Locale, RefusalTexts> = {
  fi: {
    used: ANSWERED.fi,
    answered: ANSWERED.fi,
    gone: {
      title: 'Kysely on päättynyt',
      body: 'Tämä retrospektiivi on suljettu, eikä siihen voi enää vastata.',
    },
  },
  sv: {
    used: ANSWERED.sv,
    answered: ANSWERED.sv,
    gone: {
      title: 'Enkäten är stängd',
      body: 'Den här retrospektiven är stängd och går inte längre att besvara.',
    },
  },
  en: {
    used: ANSWERED.en,
    answered: ANSWERED.en,
    gone: {
      title: 'The survey has closed',
      body: 'This retrospective is closed and can no longer be answered.',
    },
  },
};
