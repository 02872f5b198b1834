import * as vega from 'vega';
import { parse, View, type LocaleFormatters } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Level } from '@luotsi/database';
import { formatQuarter, textsFor, type Language } from '@luotsi/texts';
import type { ConfidenceTrajectory } from '../../okrs';
import type {
  PilotComparison,
  QuestionSummary,
  ReadinessGate,
  ScoreBands,
} from '../report-content';

/**
 * The reports' charts as vega-lite specs, rendered to inline SVG on the server (no canvas, no script in
 * the page). Each chart carries a title that becomes the SVG's accessible name.
 */
export interface Chart {
  /** What the chart shows, in one line: the SVG's <title> and aria-label. */
  title: string;
  spec: TopLevelSpec;
  /** The language of its words and numbers (the axes' per cent signs and decimal commas). */
  language?: Language;
}

/** The words of the charts in one language: titles, axes, legends and the names they show. */
export interface ChartWords {
  language: Language;
  t: (key: string, values?: Record<string, unknown>) => string;
  level: (level: Level) => string;
  gate: (key: string) => string;
  quarter: (label: string) => string;
}

export function chartWords(language: Language): ChartWords {
  const texts = textsFor(language);
  return {
    language,
    t: (key, values) => texts(`report:charts.${key}`, values ?? {}),
    level: (level) => texts(`report:levels.${level}`, { defaultValue: level }),
    gate: (key) => texts(`report:gates.labels.${key}`, { defaultValue: key }),
    quarter: (label) => formatQuarter(language, label),
  };
}

const ENGLISH = chartWords('en');

/** The OKR colour bands (0.7–1 green, 0.4–0.69 yellow, below red), dark enough for text on white. */
export const BAND_COLOURS = { green: '#2e7d32', yellow: '#c99400', red: '#c62828', unscored: '#8a949e' };
const INK = '#1b1f23';
const ACCENT = '#0b5cad';
const PASS = '#2e7d32';
const FAIL = '#c62828';

/** A share from 0 to 1 along an axis read as per cent. */
const shareAxis = (field: string, title: string | null) => ({
  field,
  type: 'quantitative' as const,
  title,
  scale: { domain: [0, 1] },
  axis: { format: '.0%' },
});

// Without a canvas vega over-estimates text width (~1.7×), so labels get room to spare.
const CONFIG = {
  aria: false,
  mark: { aria: false },
  font: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
  background: 'white',
  view: { stroke: null },
  axis: { labelLimit: 480, titleLimit: 480, labelColor: INK, titleColor: INK, labelFontSize: 11 },
  legend: { labelLimit: 480, titleLimit: 480, labelColor: INK, titleColor: INK, orient: 'bottom' },
  title: { color: INK, limit: 640 },
} as const;

const WIDTH = 520;

const base = (data: object[]) => ({
  config: CONFIG as TopLevelSpec['config'],
  data: { values: data },
  width: WIDTH,
});

/** Response rate per level; levels under k are left out (they have no rate to show). */
export function responseByLevelChart(
  byLevel: { level: Level; rate: number | null; count: number; of: number }[],
  words: ChartWords = ENGLISH,
): Chart | null {
  const rows = byLevel.filter((l) => l.rate !== null);
  if (!rows.length) return null;
  return {
    title: words.t('responseByLevel'),
    language: words.language,
    spec: {
      ...base(
        rows.map((l) => ({
          level: words.level(l.level),
          rate: l.rate,
          label: words.t('ofCount', { count: l.count, of: l.of }),
        })),
      ),
      height: { step: 28 },
      layer: [
        {
          mark: { type: 'bar', color: ACCENT },
          encoding: {
            y: { field: 'level', type: 'nominal', title: null, sort: null },
            x: shareAxis('rate', words.t('responseRate')),
          },
        },
        {
          mark: { type: 'text', align: 'left', dx: 4, color: INK },
          encoding: {
            y: { field: 'level', type: 'nominal', sort: null },
            x: { field: 'rate', type: 'quantitative' },
            text: { field: 'label' },
          },
        },
      ],
    } as TopLevelSpec,
  };
}

const SCALE_TYPES = ['likert5', 'scale10', 'nps'];

/** How the answers to one scale question spread over its points (zeros included). */
export function distributionChart(
  question: QuestionSummary,
  text: string,
  words: ChartWords = ENGLISH,
): Chart | null {
  if (!SCALE_TYPES.includes(question.type) || !question.distribution.length) return null;
  return {
    title: words.t('distribution', { question: text }),
    language: words.language,
    spec: {
      ...base(question.distribution.map((d) => ({ value: String(d.value), count: d.count }))),
      height: 140,
      mark: { type: 'bar', color: ACCENT },
      encoding: {
        x: { field: 'value', type: 'ordinal', title: words.t('answer'), sort: null, axis: { labelAngle: 0 } },
        y: { field: 'count', type: 'quantitative', title: words.t('answers'), axis: { tickMinStep: 1 } },
      },
    } as TopLevelSpec,
  };
}

/** Weekly confidence (0–10) of every key result with check-ins, one line each. */
export function confidenceChart(trajectories: ConfidenceTrajectory[], words: ChartWords = ENGLISH): Chart | null {
  const rows = trajectories.flatMap((t) =>
    t.weeks.map((w) => ({ keyResult: t.title, week: w.week, confidence: w.confidence })),
  );
  if (!rows.length) return null;
  return {
    title: words.t('confidence'),
    language: words.language,
    spec: {
      ...base(rows),
      height: 200,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'week', type: 'quantitative', title: words.t('week'), axis: { tickMinStep: 1 } },
        y: { field: 'confidence', type: 'quantitative', title: words.t('confidenceAxis'), scale: { domain: [0, 10] } },
        color: { field: 'keyResult', type: 'nominal', title: words.t('keyResult'), legend: { columns: 1 } },
      },
    } as TopLevelSpec,
  };
}

/** How many key results scored green, yellow, red, or are unscored. */
export function scoreBandsChart(bands: ScoreBands, words: ChartWords = ENGLISH): Chart | null {
  const order = ['green', 'yellow', 'red', 'unscored'] as const;
  if (!order.some((band) => bands[band] > 0)) return null;
  const name = (band: (typeof order)[number]) => words.t(`bandNames.${band}`);
  return {
    title: words.t('bands'),
    language: words.language,
    spec: {
      ...base(order.map((band) => ({ band: name(band), count: bands[band] }))),
      height: { step: 28 },
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'band', type: 'nominal', title: null, sort: order.map(name) },
        x: { field: 'count', type: 'quantitative', title: words.t('keyResults'), axis: { tickMinStep: 1 } },
        color: {
          field: 'band',
          type: 'nominal',
          legend: null,
          scale: { domain: order.map(name), range: order.map((band) => BAND_COLOURS[band]) },
        },
      },
    } as TopLevelSpec,
  };
}

/** The pilot beside the rollout's other pilots: response rate and check-in rhythm. */
export function comparisonChart(
  pilots: PilotComparison[],
  words: ChartWords = ENGLISH,
  thisPilot: (name: string) => string = (name) => textsFor(words.language)('report:learning.thisPilot', { pilot: name }),
): Chart | null {
  const [rate, rhythm] = [words.t('responseRate'), words.t('rhythm')];
  const rows = pilots.flatMap((p) => {
    const name = p.self ? thisPilot(p.pilotName) : p.pilotName;
    return [
      { pilot: name, measure: rate, value: p.responseRate },
      { pilot: name, measure: rhythm, value: p.checkInRhythm },
    ].filter((row) => row.value !== null);
  });
  if (!rows.length) return null;
  return {
    title: words.t('comparison'),
    language: words.language,
    spec: {
      ...base(rows),
      height: { step: 16 },
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'pilot', type: 'nominal', title: null, sort: null },
        yOffset: { field: 'measure', type: 'nominal' },
        x: shareAxis('value', null),
        color: {
          field: 'measure',
          type: 'nominal',
          title: null,
          scale: { domain: [rate, rhythm], range: [ACCENT, '#6a3d9a'] },
        },
      },
    } as TopLevelSpec,
  };
}

/** Every gate as a row: passed or failed. */
export function gateStatusChart(gates: ReadinessGate[], words: ChartWords = ENGLISH): Chart | null {
  if (!gates.length) return null;
  const texts = textsFor(words.language);
  const [passed, failed] = [texts('report:page.passed'), texts('report:page.failed')];
  return {
    title: words.t('gateStatus'),
    language: words.language,
    spec: {
      ...base(gates.map((g) => ({ gate: words.gate(g.key), result: g.passed ? passed : failed, one: 1 }))),
      height: { step: 26 },
      layer: [
        {
          mark: { type: 'bar' },
          encoding: {
            y: { field: 'gate', type: 'nominal', title: null, sort: null },
            x: { field: 'one', type: 'quantitative', axis: null, scale: { domain: [0, 1] } },
            color: {
              field: 'result',
              type: 'nominal',
              title: null,
              scale: { domain: [passed, failed], range: [PASS, FAIL] },
            },
          },
        },
        {
          mark: { type: 'text', align: 'left', x: 8, color: 'white', fontWeight: 'bold' },
          encoding: { y: { field: 'gate', type: 'nominal', sort: null }, text: { field: 'result' } },
        },
      ],
    } as TopLevelSpec,
  };
}

/**
 * A gate's measured shares against its thresholds, where a threshold names its number: `xMin`/`xMax`
 * beside a number `x` (or one whose name ends or starts with it, as `checkinRhythmMin` and `rhythm`).
 * Only shares (0–1) are drawn, so one axis fits them all.
 */
export function gateMeasures(
  gates: ReadinessGate[],
): { gate: string; measure: string; value: number; threshold: number; kind: 'min' | 'max' }[] {
  const rows = [];
  for (const g of gates) {
    for (const [name, threshold] of Object.entries(g.thresholds)) {
      const m = /^(.*)(Min|Max)$/.exec(name);
      if (!m) continue;
      const stem = m[1].toLowerCase();
      const number = Object.entries(g.numbers).find(([key]) => {
        const k = key.toLowerCase();
        return k === stem || stem.endsWith(k) || k.startsWith(stem);
      });
      const value = number?.[1];
      if (typeof value !== 'number' || value < 0 || value > 1 || threshold < 0 || threshold > 1) continue;
      rows.push({
        gate: g.key.replace(/_/g, ' '),
        measure: number![0],
        value,
        threshold,
        kind: m[2] === 'Min' ? ('min' as const) : ('max' as const),
      });
    }
  }
  return rows;
}

export function gateMeasuresChart(gates: ReadinessGate[], words: ChartWords = ENGLISH): Chart | null {
  const texts = textsFor(words.language);
  const rows = gateMeasures(gates).map((r) => ({
    ...r,
    row: `${words.gate(r.gate.replace(/ /g, '_'))}: ${texts(`report:measures.${r.measure}`, { defaultValue: r.measure })}`,
  }));
  if (!rows.length) return null;
  // One bar per measure (a measure with a lower and an upper threshold has two ticks, not two bars).
  const bars = [...new Map(rows.map((r) => [r.row, { row: r.row, value: r.value }])).values()];
  const y = { field: 'row', type: 'nominal', title: null, sort: bars.map((b) => b.row) } as const;
  return {
    title: words.t('gateMeasures'),
    language: words.language,
    spec: {
      ...base([]),
      height: { step: 26 },
      layer: [
        {
          data: { values: bars },
          mark: { type: 'bar', color: ACCENT },
          encoding: {
            y,
            x: { ...shareAxis('value', words.t('measuredAxis')), stack: null },
          },
        },
        {
          data: { values: rows },
          mark: { type: 'tick', color: INK, thickness: 3, size: 22 },
          encoding: { y, x: { field: 'threshold', type: 'quantitative' } },
        },
      ],
    } as TopLevelSpec,
  };
}

/**
 * The axes' number formats per language (d3-format's locale): Finnish and Swedish write "0,5" and
 * "50 %", English "0.5" and "50%" (as the page's own numbers, from `@luotsi/texts`).
 */
const NORDIC_NUMBERS = { decimal: ',', thousands: '\u00a0', grouping: [3], currency: ['', '\u00a0€'], percent: '\u00a0%' };
const NUMBER_LOCALES: Record<Language, object> = {
  fi: NORDIC_NUMBERS,
  sv: NORDIC_NUMBERS,
  en: { decimal: '.', thousands: ',', grouping: [3], currency: ['£', ''] },
};
// vega exports `locale` (number and time formats from d3 locale definitions); its typings omit it.
const { locale } = vega as unknown as { locale: (number: object) => LocaleFormatters };
const chartLocales = new Map<Language, LocaleFormatters>();
const chartLocale = (language: Language) => {
  let formats = chartLocales.get(language);
  if (!formats) chartLocales.set(language, (formats = locale(NUMBER_LOCALES[language])));
  return formats;
};

const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`);

/** The chart as an SVG element with role="img", an aria-label and a <title>, ready to inline in HTML. */
export async function renderChart(chart: Chart): Promise<string> {
  const view = new View(parse(compile(chart.spec).spec), {
    renderer: 'none',
    locale: chartLocale(chart.language ?? 'en'),
  });
  try {
    const svg = await view.toSVG();
    const title = escapeXml(chart.title);
    const open = /^<svg[^>]*>/.exec(svg)![0];
    // The chart is one image to assistive technology: the marks' own roles and labels are dropped.
    const inner = svg.slice(open.length).replace(/ (role|aria-roledescription|aria-label)="[^"]*"/g, '');
    return `${open.slice(0, -1)} role="img" aria-label="${title}" focusable="false"><title>${title}</title>${inner}`;
  } finally {
    view.finalize();
  }
}
