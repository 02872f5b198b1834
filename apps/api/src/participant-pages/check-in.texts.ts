import type { Locale } from '@luotsi/database';
import type { RefusalTexts } from './error-page';

/** The check-in pages' own words; key result titles come as the coach wrote them. */
export const CHECK_IN_TEXTS: Record<
  Locale,
  {
    language: string;
    otherLanguages: string;
    title: string;
    intro: (pilot: string, quarter: string, week: number) => string;
    objective: string;
    progress: (percent: string) => string;
    now: (current: string, target: string) => string;
    notStarted: (start: string, target: string) => string;
    currentValue: string;
    decimalHint: string;
    done: string;
    yes: string;
    no: string;
    confidence: string;
    confidenceHint: string;
    note: string;
    scoringIntro: string;
    score: string;
    scoreHint: (kind: 'committed' | 'aspirational') => string;
    required: string;
    optional: string;
    submit: string;
    errorTitle: string;
    thanksTitle: string;
    thanksBody: string;
  }
> = {
  fi: {
    language: 'Suomi',
    otherLanguages: 'Kieli',
    title: 'Viikon check-in',
    intro: (pilot, quarter, week) => `${pilot} · ${quarter}, viikko ${week}. Kirjaa avaintulostesi tilanne.`,
    objective: 'Tavoite',
    progress: (percent) => `Edistyminen nyt: ${percent}.`,
    now: (current, target) => `Nyt ${current}, tavoite ${target}.`,
    notStarted: (start, target) => `Lähtötaso ${start}, tavoite ${target}.`,
    currentValue: 'Nykyinen arvo',
    decimalHint: 'Numero, desimaalit pilkulla tai pisteellä.',
    done: 'Onko tämä valmis?',
    yes: 'Kyllä',
    no: 'Ei vielä',
    confidence: 'Luottamus 0–10',
    confidenceHint: '0 = en usko saavuttavamme, 10 = varmasti saavutamme.',
    note: 'Huomio',
    scoringIntro:
      'Neljännes on lopuillaan: anna halutessasi kullekin avaintulokselle loppuarvio 0,0–1,0. Valmentaja voi vielä tarkentaa sitä.',
    score: 'Loppuarvio 0,0–1,0',
    scoreHint: (kind) =>
      kind === 'committed'
        ? 'Sitova avaintulos: tavoite on 1,0. Esimerkiksi 0,7.'
        : 'Kunnianhimoinen avaintulos: 0,6–0,7 on hyvä tulos. Esimerkiksi 0,7.',
    required: 'pakollinen',
    optional: 'vapaaehtoinen',
    submit: 'Tallenna check-in',
    errorTitle: 'Tarkista nämä kohdat',
    thanksTitle: 'Kiitos, check-in on tallennettu!',
    thanksBody: 'Valmentaja ja tiimi näkevät avaintulosten tilanteen. Seuraava pyyntö tulee ensi viikolla.',
  },
  sv: {
    language: 'Svenska',
    otherLanguages: 'Språk',
    title: 'Veckans avstämning',
    intro: (pilot, quarter, week) =>
      `${pilot} · ${quarter}, vecka ${week}. Rapportera läget för dina nyckelresultat.`,
    objective: 'Mål',
    progress: (percent) => `Framsteg nu: ${percent}.`,
    now: (current, target) => `Nu ${current}, målet ${target}.`,
    notStarted: (start, target) => `Utgångsläge ${start}, målet ${target}.`,
    currentValue: 'Nuvarande värde',
    decimalHint: 'Ett tal, decimaler med komma eller punkt.',
    done: 'Är detta klart?',
    yes: 'Ja',
    no: 'Inte ännu',
    confidence: 'Tilltro 0–10',
    confidenceHint: '0 = vi når det inte, 10 = vi når det säkert.',
    note: 'Kommentar',
    scoringIntro:
      'Kvartalet närmar sig sitt slut: ge gärna varje nyckelresultat ett slutbetyg 0,0–1,0. Coachen kan ännu justera det.',
    score: 'Slutbetyg 0,0–1,0',
    scoreHint: (kind) =>
      kind === 'committed'
        ? 'Åtagande: målet är 1,0. Till exempel 0,7.'
        : 'Ambitiöst nyckelresultat: 0,6–0,7 är ett bra utfall. Till exempel 0,7.',
    required: 'obligatorisk',
    optional: 'frivillig',
    submit: 'Spara avstämningen',
    errorTitle: 'Kontrollera de här punkterna',
    thanksTitle: 'Tack, avstämningen är sparad!',
    thanksBody: 'Coachen och teamet ser läget för nyckelresultaten. Nästa förfrågan kommer nästa vecka.',
  },
  en: {
    language: 'English',
    otherLanguages: 'Language',
    title: 'Weekly check-in',
    intro: (pilot, quarter, week) =>
      `${pilot} · ${quarter}, week ${week}. Record where your key results stand.`,
    objective: 'Objective',
    progress: (percent) => `Progress now: ${percent}.`,
    now: (current, target) => `Now ${current}, target ${target}.`,
    notStarted: (start, target) => `Start ${start}, target ${target}.`,
    currentValue: 'Current value',
    decimalHint: 'A number; decimals with a comma or a point.',
    done: 'Is this done?',
    yes: 'Yes',
    no: 'Not yet',
    confidence: 'Confidence 0–10',
    confidenceHint: "0 = we won't make it, 10 = we certainly will.",
    note: 'Note',
    scoringIntro:
      'The quarter is ending: if you like, give each key result a final score from 0.0 to 1.0. Your coach can still adjust it.',
    score: 'Final score 0.0–1.0',
    scoreHint: (kind) =>
      kind === 'committed'
        ? 'Committed: expected to reach 1.0. For example 0.7.'
        : 'Aspirational: around 0.6–0.7 is a healthy result. For example 0.7.',
    required: 'required',
    optional: 'optional',
    submit: 'Save check-in',
    errorTitle: 'Please check these',
    thanksTitle: 'Thank you, your check-in is saved!',
    thanksBody: 'Your coach and team can see where the key results stand. The next request comes next week.',
  },
};

/** How a check-in link is refused: once used, and after its week (and the grace days). */
export const CHECK_IN_REFUSALS: Record<Locale, RefusalTexts> = {
  fi: {
    used: { title: 'Check-in on jo tehty', body: 'Tällä linkillä on jo kirjattu viikon tilanne. Kiitos!' },
    gone: {
      title: 'Linkki on vanhentunut',
      body: 'Tämän viikon check-in on päättynyt. Seuraavan viikon pyynnössä on uusi linkki.',
    },
  },
  sv: {
    used: {
      title: 'Avstämningen är redan gjord',
      body: 'Veckans läge har redan rapporterats med den här länken. Tack!',
    },
    gone: {
      title: 'Länken har gått ut',
      body: 'Veckans avstämning är stängd. Nästa veckas förfrågan har en ny länk.',
    },
  },
  en: {
    used: {
      title: 'Check-in already done',
      body: "This link has already been used for this week's check-in. Thank you!",
    },
    gone: {
      title: 'The link has expired',
      body: "This week's check-in has closed. Next week's request has a new link.",
    },
  },
};
