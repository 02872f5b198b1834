import { parse, View } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { Level } from '@luotsi/database';
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
}

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
): Chart | null {
  const rows = byLevel.filter((l) => l.rate !== null);
  if (!rows.length) return null;
  return {
    title: 'Retrospective response rate by level',
    spec: {
      ...base(rows.map((l) => ({ level: l.level, rate: l.rate, label: `${l.count} of ${l.of}` }))),
      height: { step: 28 },
      layer: [
        {
          mark: { type: 'bar', color: ACCENT },
          encoding: {
            y: { field: 'level', type: 'nominal', title: null, sort: null },
            x: shareAxis('rate', 'Response rate'),
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
export function distributionChart(question: QuestionSummary, text: string): Chart | null {
  if (!SCALE_TYPES.includes(question.type) || !question.distribution.length) return null;
  return {
    title: `Answers to “${text}”: how many chose each point`,
    spec: {
      ...base(question.distribution.map((d) => ({ value: String(d.value), count: d.count }))),
      height: 140,
      mark: { type: 'bar', color: ACCENT },
      encoding: {
        x: { field: 'value', type: 'ordinal', title: 'Answer', sort: null, axis: { labelAngle: 0 } },
        y: { field: 'count', type: 'quantitative', title: 'Answers', axis: { tickMinStep: 1 } },
      },
    } as TopLevelSpec,
  };
}

/** Weekly confidence (0–10) of every key result with check-ins, one line each. */
export function confidenceChart(trajectories: ConfidenceTrajectory[]): Chart | null {
  const rows = trajectories.flatMap((t) =>
    t.weeks.map((w) => ({ keyResult: t.title, week: w.week, confidence: w.confidence })),
  );
  if (!rows.length) return null;
  return {
    title: 'Confidence by week for each key result',
    spec: {
      ...base(rows),
      height: 200,
      mark: { type: 'line', point: true },
      encoding: {
        x: { field: 'week', type: 'quantitative', title: 'Week', axis: { tickMinStep: 1 } },
        y: { field: 'confidence', type: 'quantitative', title: 'Confidence', scale: { domain: [0, 10] } },
        color: { field: 'keyResult', type: 'nominal', title: 'Key result', legend: { columns: 1 } },
      },
    } as TopLevelSpec,
  };
}

/** How many key results scored green, yellow, red, or are unscored. */
export function scoreBandsChart(bands: ScoreBands): Chart | null {
  const order = ['green', 'yellow', 'red', 'unscored'] as const;
  if (!order.some((band) => bands[band] > 0)) return null;
  return {
    title: 'Key results by score band',
    spec: {
      ...base(order.map((band) => ({ band, count: bands[band] }))),
      height: { step: 28 },
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'band', type: 'nominal', title: null, sort: [...order] },
        x: { field: 'count', type: 'quantitative', title: 'Key results', axis: { tickMinStep: 1 } },
        color: {
          field: 'band',
          type: 'nominal',
          legend: null,
          scale: { domain: [...order], range: order.map((band) => BAND_COLOURS[band]) },
        },
      },
    } as TopLevelSpec,
  };
}

/** The pilot beside the rollout's other pilots: response rate and check-in rhythm. */
export function comparisonChart(pilots: PilotComparison[]): Chart | null {
  const rows = pilots.flatMap((p) => {
    const name = p.self ? `${p.pilotName} (this pilot)` : p.pilotName;
    return [
      { pilot: name, measure: 'Response rate', value: p.responseRate },
      { pilot: name, measure: 'Check-in rhythm', value: p.checkInRhythm },
    ].filter((row) => row.value !== null);
  });
  if (!rows.length) return null;
  return {
    title: 'Response rate and check-in rhythm of each pilot of the rollout',
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
          scale: { domain: ['Response rate', 'Check-in rhythm'], range: [ACCENT, '#6a3d9a'] },
        },
      },
    } as TopLevelSpec,
  };
}

/** Every gate as a row: passed or failed. */
export function gateStatusChart(gates: ReadinessGate[]): Chart | null {
  if (!gates.length) return null;
  return {
    title: 'Readiness gates: passed and failed',
    spec: {
      ...base(
        gates.map((g) => ({ gate: g.key.replace(/_/g, ' '), result: g.passed ? 'passed' : 'failed', one: 1 })),
      ),
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
              scale: { domain: ['passed', 'failed'], range: [PASS, FAIL] },
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

export function gateMeasuresChart(gates: ReadinessGate[]): Chart | null {
  const rows = gateMeasures(gates).map((r) => ({ ...r, row: `${r.gate}: ${r.measure}` }));
  if (!rows.length) return null;
  // One bar per measure (a measure with a lower and an upper threshold has two ticks, not two bars).
  const bars = [...new Map(rows.map((r) => [r.row, { row: r.row, value: r.value }])).values()];
  const y = { field: 'row', type: 'nominal', title: null, sort: bars.map((b) => b.row) } as const;
  return {
    title: 'Measured shares of the readiness gates against their thresholds',
    spec: {
      ...base([]),
      height: { step: 26 },
      layer: [
        {
          data: { values: bars },
          mark: { type: 'bar', color: ACCENT },
          encoding: {
            y,
            x: { ...shareAxis('value', 'Measured (bar) and threshold (tick)'), stack: null },
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

const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": 'apos' }[c]};`);

/** The chart as an SVG element with role="img", an aria-label and a <title>, ready to inline in HTML. */
export async function renderChart(chart: Chart): Promise<string> {
  const view = new View(parse(compile(chart.spec).spec), { renderer: 'none' });
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
