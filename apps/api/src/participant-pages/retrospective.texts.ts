import type { AnonymityMode, Locale } from '@luotsi/database';

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
    usedTitle: string;
    usedBody: string;
    goneTitle: string;
    goneBody: string;
    unknownTitle: string;
    unknownBody: string;
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
    usedTitle: 'Olet jo vastannut',
    usedBody: 'Tähän kyselyyn on jo vastattu tällä linkillä. Kiitos!',
    goneTitle: 'Kysely on päättynyt',
    goneBody: 'Tämä retrospektiivi on suljettu, eikä siihen voi enää vastata.',
    unknownTitle: 'Linkki ei toimi',
    unknownBody: 'Tätä linkkiä ei tunnisteta. Tarkista, että kopioit sen kokonaan sähköpostista.',
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
    usedTitle: 'Du har redan svarat',
    usedBody: 'Enkäten har redan besvarats med den här länken. Tack!',
    goneTitle: 'Enkäten är stängd',
    goneBody: 'Den här retrospektiven är stängd och går inte längre att besvara.',
    unknownTitle: 'Länken fungerar inte',
    unknownBody: 'Länken känns inte igen. Kontrollera att du kopierade hela länken från mejlet.',
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
    usedTitle: 'You have already answered',
    usedBody: 'This survey has already been answered with this link. Thank you!',
    goneTitle: 'The survey has closed',
    goneBody: 'This retrospective is closed and can no longer be answered.',
    unknownTitle: 'This link does not work',
    unknownBody: 'We do not recognise this link. Check that you copied all of it from the email.',
    otherLanguages: 'Language',
  },
};
