import type { Level, Locale } from '@luotsi/database';

/**
 * The rollout the demo tells, after the seed story: a public-sector agency of about 8,000 people pilots
 * OKRs with its board and its management first, learns for two quarters, and widens to a staff pilot of
 * 800; a small non-profit pilots with its volunteers alongside.
 */
export interface PilotPlan {
  key: string;
  name: string;
  wave: number;
  level: Level;
  size: number;
  /** The calendar quarter the pilot starts in, and how many quarters it runs. */
  startQuarter: string;
  quarters: number;
  /** Share of participants per locale. */
  locales: Partial<Record<Locale, number>>;
  domain: string;
}

export interface OrganizationPlan {
  key: string;
  name: string;
  sector: 'company' | 'public' | 'nonprofit';
  headcount: number;
  defaultLocale: Locale;
  timeZone: string;
  goal: string;
  plannedWaves: number;
  pilots: PilotPlan[];
}

export const QUARTERS = ['2027-Q1', '2027-Q2', '2027-Q3', '2027-Q4'] as const;

export const ORGANIZATIONS: OrganizationPlan[] = [
  {
    key: 'agency',
    name: 'Sosiaaliturvavirasto',
    sector: 'public',
    headcount: 8000,
    defaultLocale: 'fi',
    timeZone: 'Europe/Helsinki',
    goal: 'Koko virasto suunnittelee neljänneksensä OKR:illä vuoden 2028 loppuun mennessä',
    plannedWaves: 3,
    pilots: [
      {
        key: 'board',
        name: 'Hallituksen pilotti',
        wave: 1,
        level: 'board',
        size: 9,
        startQuarter: '2027-Q1',
        quarters: 4,
        locales: { fi: 0.8, sv: 0.2 },
        domain: 'hallitus.virasto.example',
      },
      {
        key: 'management',
        name: 'Johtoryhmäpilotti',
        wave: 1,
        level: 'management',
        size: 60,
        startQuarter: '2027-Q1',
        quarters: 4,
        locales: { fi: 0.75, sv: 0.15, en: 0.1 },
        domain: 'johto.virasto.example',
      },
      {
        key: 'staff',
        name: 'Asiakaspalvelun pilotti',
        wave: 2,
        level: 'staff',
        size: 800,
        startQuarter: '2027-Q3',
        quarters: 1,
        locales: { fi: 0.7, sv: 0.2, en: 0.1 },
        domain: 'asiakaspalvelu.virasto.example',
      },
    ],
  },
  {
    key: 'nonprofit',
    name: 'Skärgårdens frivilliga r.f.',
    sector: 'nonprofit',
    headcount: 140,
    defaultLocale: 'sv',
    timeZone: 'Europe/Helsinki',
    goal: 'Alla lokalavdelningar följer upp sitt kvartal med OKR',
    plannedWaves: 2,
    pilots: [
      {
        key: 'volunteers',
        name: 'Frivilligpiloten',
        wave: 1,
        level: 'volunteers',
        size: 30,
        startQuarter: '2027-Q1',
        quarters: 4,
        locales: { sv: 0.6, fi: 0.25, en: 0.15 },
        domain: 'frivilliga.example',
      },
    ],
  },
];

export const FIRST_NAMES: Record<Locale, string[]> = {
  fi: [
    'Aino',
    'Eero',
    'Sanna',
    'Mikko',
    'Ella',
    'Juha',
    'Leena',
    'Olli',
    'Päivi',
    'Tuomas',
    'Kaisa',
    'Jääskö',
  ],
  sv: ['Björn', 'Åsa', 'Karin', 'Henrik', 'Linnéa', 'Mats', 'Sofia', 'Göran', 'Ebba', 'Johan'],
  en: ['Emma', 'Oliver', 'Grace', 'Daniel', 'Amelia', 'Samuel', 'Chloe', 'Thomas'],
};
export const LAST_NAMES: Record<Locale, string[]> = {
  fi: ['Virtanen', 'Korhonen', 'Mäkinen', 'Nieminen', 'Hämäläinen', 'Heikkinen', 'Järvinen', 'Lehtonen'],
  sv: ['Lindqvist', 'Öhman', 'Söderström', 'Holmberg', 'Åberg', 'Nyström', 'Wikström'],
  en: ['Clarke', 'Okafor', 'Patel', 'Murphy', 'Evans', 'Walsh'],
};

/** Free-text answers as people write them, per locale: what worked, what did not, what to change. */
export const FREE_TEXT: Record<Locale, Record<'worked' | 'didNot' | 'change', string[]>> = {
  fi: {
    worked: [
      'Viikkopalaverit pysyivät lyhyinä ja keskittyivät avaintuloksiin.',
      'Yhteinen tavoite selkeytti prioriteetteja.',
      'Luottamuksen kirjaaminen viikoittain auttoi huomaamaan ongelmat ajoissa.',
      'Valmentajan tuki auttoi muotoilemaan mitattavat avaintulokset.',
    ],
    didNot: [
      'Liian monta avaintulosta samalle tiimille.',
      'Check-init unohtuivat kiireisinä viikkoina.',
      'Mittareiden lähtötasot puuttuivat alussa.',
    ],
    change: [
      'Vähemmän avaintuloksia ja selkeämmät omistajat.',
      'Lähtötasot mitataan ennen neljänneksen alkua.',
      'Viikkopalaveri samaan aikaan joka viikko.',
    ],
  },
  sv: {
    worked: [
      'De korta veckomötena höll fokus på nyckelresultaten.',
      'Ett gemensamt mål gjorde prioriteringarna tydligare.',
      'Att skatta tilltron varje vecka visade problemen i tid.',
    ],
    didNot: [
      'För många nyckelresultat för ett litet team.',
      'Avstämningarna glömdes bort under stressiga veckor.',
    ],
    change: ['Färre nyckelresultat och tydligare ägare.', 'Mät utgångsläget innan kvartalet börjar.'],
  },
  en: {
    worked: [
      'Short weekly check-ins kept the focus on the key results.',
      'One shared objective made priorities clearer.',
      'Rating confidence every week surfaced problems early.',
    ],
    didNot: ['Too many key results for one team.', 'Check-ins slipped in busy weeks.'],
    change: ['Fewer key results with clear owners.', 'Measure baselines before the quarter starts.'],
  },
};

/** Objectives a coach helps each pilot set, with their key results (metrics run from start to target). */
export const OBJECTIVES: Record<
  string,
  {
    title: string;
    keyResults: {
      title: string;
      kind: 'committed' | 'aspirational';
      start?: number;
      target?: number;
      unit?: string;
    }[];
  }[]
> = {
  board: [
    {
      title: 'Hallitus ohjaa strategiaa neljänneksittäin',
      keyResults: [
        { title: 'Strategiakatsaus jokaisessa kokouksessa', kind: 'committed' },
        {
          title: 'Päätösaika 30 päivästä 10 päivään',
          kind: 'aspirational',
          start: 30,
          target: 10,
          unit: 'päivää',
        },
      ],
    },
  ],
  management: [
    {
      title: 'Asiakkaat saavat päätöksen nopeammin',
      keyResults: [
        {
          title: 'Käsittelyaika 21 päivästä 14 päivään',
          kind: 'committed',
          start: 21,
          target: 14,
          unit: 'päivää',
        },
        {
          title: 'Sähköisen asioinnin osuus 55 %:sta 70 %:iin',
          kind: 'aspirational',
          start: 55,
          target: 70,
          unit: '%',
        },
        { title: 'Uusi jonotusnäkymä käytössä', kind: 'committed' },
      ],
    },
    {
      title: 'Johtoryhmä toimii yhtenä tiiminä',
      keyResults: [
        { title: 'Yhteiset OKR-katsaukset joka toinen viikko', kind: 'committed' },
        { title: 'Henkilöstön luottamusindeksi 62:sta 70:een', kind: 'aspirational', start: 62, target: 70 },
      ],
    },
  ],
  staff: [
    {
      title: 'Asiakas saa vastauksen ensimmäisellä yhteydenotolla',
      keyResults: [
        {
          title: 'Ensikontaktiratkaisu 48 %:sta 65 %:iin',
          kind: 'aspirational',
          start: 48,
          target: 65,
          unit: '%',
        },
        {
          title: 'Puhelujonon mediaani 9 minuutista 5 minuuttiin',
          kind: 'committed',
          start: 9,
          target: 5,
          unit: 'min',
        },
        { title: 'Vastauspohjat päivitetty', kind: 'committed' },
      ],
    },
  ],
  volunteers: [
    {
      title: 'Fler frivilliga är aktiva året runt',
      keyResults: [
        { title: 'Aktiva frivilliga från 40 till 60', kind: 'aspirational', start: 40, target: 60 },
        { title: 'Introduktionskväll i varje lokalavdelning', kind: 'committed' },
      ],
    },
  ],
};

/**
 * The demo's coaching rhythm: a coach's lighter plan than the default, with check-in requests to the
 * key-result owners only, as a coach of a pilot of 800 would set it.
 */
export const DEMO_CADENCE = [
  {
    key: 'kickoff',
    kind: 'prompt',
    anchor: 'start',
    offsetDays: 0,
    sendTime: '09:00',
    template: 'prompt-kickoff',
    audience: 'participants',
  },
  {
    key: 'checkin-w3',
    kind: 'checkin_request',
    anchor: 'start',
    offsetDays: 14,
    sendTime: '09:00',
    template: 'checkin-request',
    audience: 'owners',
  },
  {
    key: 'checkin-w7',
    kind: 'checkin_request',
    anchor: 'start',
    offsetDays: 42,
    sendTime: '09:00',
    template: 'checkin-request',
    audience: 'owners',
  },
  {
    key: 'checkin-w11',
    kind: 'checkin_request',
    anchor: 'start',
    offsetDays: 70,
    sendTime: '09:00',
    template: 'checkin-request',
    audience: 'owners',
  },
  {
    key: 'retrospective-open',
    kind: 'retrospective_open',
    anchor: 'end',
    offsetDays: -14,
    sendTime: '09:00',
    template: 'retrospective-invitation',
    audience: 'participants',
  },
  {
    key: 'retrospective-reminder',
    kind: 'retrospective_reminder',
    anchor: 'end',
    offsetDays: -10,
    sendTime: '09:00',
    template: 'retrospective-reminder',
    audience: 'participants',
  },
  {
    key: 'retrospective-close',
    kind: 'retrospective_close',
    anchor: 'end',
    offsetDays: 0,
    sendTime: '09:00',
    template: 'retrospective-closed',
    audience: 'participants',
  },
] as const;
