import type { Level, Locale, ShareAudience } from '@luotsi/database';
import type {
  AspirationalReading,
  LearningFlagCode,
  LearningReportContent,
  QuestionSummary,
  ReadinessGateKey,
  ReadinessReportContent,
} from '../report-content';
import type { QuestionType } from '../../surveys';
import { kOfReport } from '../publication/publication-policy';
import {
  Chart,
  comparisonChart,
  confidenceChart,
  distributionChart,
  gateMeasuresChart,
  gateStatusChart,
  renderChart,
  responseByLevelChart,
  scoreBandsChart,
} from './report-charts';
import { layoutTemplate, learningTemplate, readinessTemplate, REPORT_STYLE } from './report-templates';

export { REPORT_STYLE };

/**
 * Reports as one self-contained HTML page: English labels, question texts in the organization's
 * language, charts as inline SVG, no script, and print rules so the same page reads well on A4 (the
 * PDF is this page printed). Every value is escaped by Handlebars; only the charts are inserted raw.
 */
export interface HtmlOptions {
  audience: ShareAudience;
  /** The organization's default locale: the language of question texts. */
  locale: Locale;
  /** Links to the other formats, shown on screen only (e.g. on a shared link). */
  downloads?: { pdf: string; csv: string };
  /** For pages reached without an account: keep them out of search engines. */
  noindex?: boolean;
}

export interface PageFrame {
  title: string;
  eyebrow: string;
  heading: string;
  meta: string[];
  note?: string;
  footer: string;
  /** Trusted HTML: rendered by a template of this module. */
  body: string;
  downloads?: { pdf: string; csv: string };
  noindex?: boolean;
}

/** The one layout of report pages (the portfolio uses it too). */
export const renderFrame = (frame: PageFrame): string => layoutTemplate({ ...frame, style: REPORT_STYLE });

// ---- formatting: every number on the page goes through one of these

const DASH = '–';
export const percent = (share: number | null | undefined): string =>
  share === null || share === undefined ? DASH : `${(share * 100).toFixed(1)}%`;
export const decimal = (value: number | null | undefined, digits = 2): string =>
  value === null || value === undefined ? DASH : value.toFixed(digits);
const plain = (value: number | string | boolean | null | undefined): string =>
  value === null || value === undefined
    ? DASH
    : typeof value === 'number' && !Number.isInteger(value)
      ? String(Number(value.toFixed(4)))
      : String(value);
export const levelLabel = (level: Level): string => level.charAt(0).toUpperCase() + level.slice(1);
const localeName: Record<Locale, string> = { fi: 'Finnish', sv: 'Swedish', en: 'English' };
const TYPE_LABELS: Record<QuestionType, string> = {
  likert5: 'Likert 1–5',
  scale10: 'Scale 0–10',
  nps: 'Recommendation 0–10 (NPS)',
  single_choice: 'Single choice',
  free_text: 'Free text',
};
export const FLAG_LABELS: Record<LearningFlagCode, string> = {
  no_key_result_movement: 'No key-result movement by the end of the second quarter',
  no_new_objectives: 'No new or refreshed objectives by the fourth quarter',
  low_response_rate: 'Response rate below 50%',
  confidence_falling: 'Confidence falling two quarters in a row',
};
const READING_LABELS: Record<AspirationalReading, string> = {
  too_safe: 'too safe (0.85 or more: the goals were too easy)',
  healthy: 'healthy (0.6–0.85)',
  partial: 'partial (0.4–0.6)',
  look_closer: 'look closer (below 0.4)',
};
export const GATE_LABELS: Record<ReadinessGateKey, string> = {
  participation: 'Participation',
  response_rate: 'Response rate',
  checkin_rhythm: 'Check-in rhythm',
  outcome_health: 'Outcome health',
  people_readiness: 'People readiness (ADKAR)',
  trend: 'Trend',
  capacity: 'Coaching capacity',
};
const VERDICT_LABELS = {
  ready: 'Ready for the next wave',
  ready_with_conditions: 'Ready with conditions',
  not_ready: 'Not ready',
};
const camelWords = (key: string) =>
  key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
const numbersText = (numbers: Record<string, number | string | null>) =>
  Object.entries(numbers)
    .map(([key, value]) => `${camelWords(key)}: ${plain(value)}`)
    .join(' · ');

/** A question's text in the organization's language, else English, else whichever there is. */
const textIn = (text: Record<Locale, string>, locale: Locale): { text: string; lang: Locale } => {
  for (const lang of [locale, 'en', 'fi', 'sv'] as Locale[])
    if (text[lang]) return { text: text[lang], lang };
  return { text: '', lang: locale };
};

const svgOf = async (chart: Chart | null) =>
  chart ? `<figure>${await renderChart(chart)}</figure>` : '';

const audienceNote = (audience: ShareAudience, k: number) =>
  audience === 'sponsor'
    ? `Sponsor view: no group with fewer than ${k} responses is broken down, and free text from language groups with fewer than ${k} answers is left out.`
    : `Coach view: no group with fewer than ${k} responses is broken down, and no quotes are shown for fewer than ${k} answers.`;

// ---- learning report

/** The learning report's page, from a view already narrowed to its audience (see `publishLearning`). */
export async function renderLearningHtml(content: LearningReportContent, options: HtmlOptions): Promise<string> {
  return renderFrame(await learningFrame(content, options));
}

/** The learning report's masthead and sections, for its own page or embedded in another (the console). */
export async function learningFrame(content: LearningReportContent, options: HtmlOptions): Promise<PageFrame> {
  const k = kOfReport(content);
  const titles = new Map(content.practice.confidence.map((t) => [t.keyResultId, t.title]));
  const questions = await Promise.all(
    content.questions.map(async (q: QuestionSummary) => {
      const { text, lang } = textIn(q.text, options.locale);
      return {
        text,
        lang,
        type: TYPE_LABELS[q.type] ?? q.type,
        responses: q.responses,
        suppressed: q.suppressed === true,
        scale: ['likert5', 'scale10', 'nps'].includes(q.type),
        mean: decimal(q.mean, 1),
        median: decimal(q.median, 1),
        svg: await svgOf(distributionChart(q, text)),
        choices: q.type === 'single_choice' ? q.distribution : [],
        trend: q.trend.map((t) => ({ ...t, mean: decimal(t.mean, 1) })),
        byLevel: q.byLevel.map((l) =>
          'suppressed' in l
            ? { label: levelLabel(l.level), suppressed: true }
            : { label: levelLabel(l.level), responses: l.responses, mean: decimal(l.mean, 1) },
        ),
      };
    }),
  );
  const shown = content.response.byLevel.flatMap((l) => ('suppressed' in l ? [] : [l]));
  const practice = content.practice;
  const body = learningTemplate({
    k,
    flags: content.flags.map((f) => ({
      label: FLAG_LABELS[f.code] ?? f.code,
      message: f.message,
      numbers: numbersText(f.numbers),
    })),
    response: {
      rate: percent(content.response.rate),
      count: content.response.count,
      of: content.response.of,
      svg: await svgOf(responseByLevelChart(shown)),
      levels: content.response.byLevel.map((l) =>
        'suppressed' in l
          ? { label: levelLabel(l.level), suppressed: true }
          : { label: levelLabel(l.level), count: l.count, of: l.of, rate: percent(l.rate) },
      ),
    },
    questions,
    nps: content.nps && { ...content.nps, score: decimal(content.nps.score, 1) },
    adkar: content.adkar.map((a) => ({
      element: a.element.charAt(0).toUpperCase() + a.element.slice(1),
      responses: a.responses,
      mean: decimal(a.mean, 1),
      barrier: a.barrier ? 'Yes: a barrier' : 'No',
    })),
    practice: {
      rhythm: percent(practice.rhythm.share),
      rhythmDone: practice.rhythm.done,
      rhythmDue: practice.rhythm.due,
      committed: percent(practice.committed.share),
      committedMet: practice.committed.met,
      committedTotal: practice.committed.total,
      aspirational: decimal(practice.aspirational.average),
      reading: practice.aspirationalReading ? READING_LABELS[practice.aspirationalReading] : null,
      bands: practice.scoreBands,
      bandsSvg: await svgOf(scoreBandsChart(practice.scoreBands)),
      confidenceSvg: await svgOf(confidenceChart(practice.confidence)),
      drops: practice.confidenceDrops.map((d) => ({ ...d, title: titles.get(d.keyResultId) ?? '' })),
      still: practice.noMovement,
    },
    comparisonSvg: await svgOf(comparisonChart(content.comparison)),
    comparison: content.comparison.map((p) => ({
      name: p.self ? `${p.pilotName} (this pilot)` : p.pilotName,
      quarter: p.quarterLabel ?? DASH,
      participants: p.participants,
      responseRate: percent(p.responseRate),
      rhythm: percent(p.checkInRhythm),
      nps: decimal(p.nps, 1),
      committedMet: percent(p.committedMet),
      aspirational: decimal(p.aspirationalAverage),
    })),
    themes: content.themes.map((question) => {
      const asked = question.text && textIn(question.text, options.locale);
      return {
        pooled: question.key === null,
        text: asked?.text ?? '',
        lang: asked?.lang ?? options.locale,
        responses: question.responses,
        suppressed: question.suppressed,
        languages: question.languages
          .filter((t) => !t.suppressed)
          .map((t) => ({
            locale: t.locale,
            language: localeName[t.locale] ?? t.locale,
            responses: t.responses,
            terms: t.terms.map((x) => `${x.term} (${x.count})`).join(', '),
            phrases: t.phrases.map((x) => `${x.phrase} (${x.count})`).join(', '),
            quotes: t.quotes,
          })),
        hidden: question.suppressed
          ? ''
          : question.languages
              .filter((t) => t.suppressed)
              .map((t) => localeName[t.locale] ?? t.locale)
              .join(', '),
      };
    }),
  });
  const q = content.quarter;
  return {
    title: `Learning report: ${content.pilot.name}, ${q.label}`,
    eyebrow: `Learning report · ${content.organization.name}`,
    heading: `${content.pilot.name}, ${q.label}`,
    meta: [
      `Wave ${content.pilot.waveNumber} · levels: ${content.pilot.levels.map(levelLabel).join(', ')} · quarter ${q.number} (${q.startsOn} to ${q.endsOn})`,
      `Rollout: ${content.rollout.goal}`,
    ],
    note: audienceNote(options.audience, k),
    footer: `Built ${content.builtAt}. Rates are shares of those invited; means are of the answers given.`,
    body,
    downloads: options.downloads,
    noindex: options.noindex,
  };
}

// ---- readiness report

const pairs = (numbers: Record<string, number | string | null> | undefined) =>
  Object.entries(numbers ?? {}).map(([name, value]) => ({ name: camelWords(name), value: plain(value) }));

export async function renderReadinessHtml(
  content: ReadinessReportContent,
  options: HtmlOptions,
): Promise<string> {
  return renderFrame(await readinessFrame(content, options));
}

/** The readiness report's masthead and sections, for its own page or embedded in another (the console). */
export async function readinessFrame(content: ReadinessReportContent, options: HtmlOptions): Promise<PageFrame> {
  const gates = content.gates.map((g) => ({
    key: g.key,
    label: GATE_LABELS[g.key] ?? g.key,
    passed: g.passed,
    summary: g.summary,
    numbers: pairs(g.numbers),
    thresholds: pairs(g.thresholds),
    byPilot: (g.byPilot ?? []).map((p) => ({ ...p, numbers: numbersText(p.numbers) })),
    reports: g.learningReports.map((r) => `${r.pilotName} (${r.quarterLabel})`).join(', '),
  }));
  const wave = content.nextWave;
  const body = readinessTemplate({
    verdict: { key: content.verdict, label: VERDICT_LABELS[content.verdict] ?? content.verdict },
    conditions: content.conditions.map((c) => GATE_LABELS[c] ?? c).join(', '),
    statusSvg: await svgOf(gateStatusChart(content.gates)),
    measuresSvg: await svgOf(gateMeasuresChart(content.gates)),
    gates,
    wave: {
      size: wave.size,
      coachesNeeded: wave.coachesNeeded,
      startQuarter: wave.startQuarter,
      levels: wave.levels.map(levelLabel).join(', ') || DASH,
      newLevels: (wave.newLevels ?? []).map(levelLabel).join(', '),
      basis: pairs(wave.basis as unknown as Record<string, number> | undefined),
    },
    rollout: content.rollout,
    organization: content.organization,
  });
  return {
    title: `Readiness report: ${content.organization.name}`,
    eyebrow: `Readiness report · ${content.organization.name}`,
    heading: `Ready to widen the rollout? ${VERDICT_LABELS[content.verdict] ?? content.verdict}`,
    meta: [`Rollout: ${content.rollout.goal}`],
    note:
      options.audience === 'sponsor'
        ? 'For sponsors: each gate shows the numbers it used; no group under the reporting threshold is broken down.'
        : undefined,
    footer: `Built ${content.builtAt}. Thresholds are the rollout's own where its coach set them, the defaults otherwise.`,
    body,
    downloads: options.downloads,
    noindex: options.noindex,
  };
}
