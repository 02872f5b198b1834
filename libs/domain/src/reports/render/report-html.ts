import type { Level, Locale, ShareAudience } from '@luotsi/database';
import {
  formatDate,
  formatDateTime,
  formatDecimal,
  formatList,
  formatNumber,
  formatPercent,
  formatQuarter,
  textsFor,
  type Language,
} from '@luotsi/texts';
import {
  LEARNING_FLAGS,
  type LearningFlagCode,
  type LearningReportContent,
  type QuestionSummary,
  type ReadinessGateKey,
  type ReadinessReportContent,
} from '../report-content';
import { kOfReport } from '../publication/publication-policy';
import {
  Chart,
  chartWords,
  comparisonChart,
  confidenceChart,
  distributionChart,
  gateMeasuresChart,
  gateStatusChart,
  renderChart,
  responseByLevelChart,
  scoreBandsChart,
} from './report-charts';
import { adkarName, flagSentence, gateSentence } from './report-sentences';
import { layoutTemplate, learningTemplate, readinessTemplate, REPORT_STYLE } from './report-templates';

export { REPORT_STYLE };

/**
 * Reports as one self-contained HTML page in the reader's language (fi, sv or en: labels, the flags' and
 * gates' sentences, quarters, dates and numbers), question texts in that language where the question
 * has it, charts as inline SVG, no script, and print rules so the same page reads well on A4 (the PDF
 * is this page printed). Every value is escaped by Handlebars; only the charts are inserted raw.
 */
export interface HtmlOptions {
  audience: ShareAudience;
  /** The reader's language: of the labels, the sentences and the formatting. */
  language: Language;
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
  /** The language of every text of the frame. */
  language: Language;
  downloads?: { pdf: string; csv: string };
  noindex?: boolean;
}

/** The one layout of report pages (the portfolio uses it too). */
export const renderFrame = (frame: PageFrame): string => layoutTemplate({ ...frame, style: REPORT_STYLE });

// ---- formatting: every number on the page goes through one of these, in the reader's language

const DASH = '–';
/** A share as a percent with one decimal ("62,5 %", "62.5%"). */
export const percent = (language: Language, share: number | null | undefined): string =>
  formatPercent(language, share, 1);
export const decimal = (language: Language, value: number | null | undefined, digits = 2): string =>
  formatNumber(language, value, digits);
const plain = (language: Language, value: number | string | boolean | null | undefined): string =>
  value === null || value === undefined
    ? DASH
    : typeof value === 'number'
      ? formatDecimal(language, value)
      : typeof value === 'boolean'
        ? textsFor(language)(value ? 'report:page.yes' : 'report:page.no')
        : value;
export const levelLabel = (language: Language, level: Level): string =>
  textsFor(language)(`report:levels.${level}`, { defaultValue: level });
const levelList = (language: Language, levels: readonly Level[]) =>
  formatList(language, levels.map((level) => levelLabel(language, level)));
/** The flags' names in English, for pages not yet in the reader's language (the portfolio). */
export const FLAG_LABELS = Object.fromEntries(
  LEARNING_FLAGS.map((code) => [code, textsFor('en')(`report:flags.labels.${code}`)]),
) as Record<LearningFlagCode, string>;
export const gateLabel = (language: Language, key: ReadinessGateKey | string): string =>
  textsFor(language)(`report:gates.labels.${key}`, { defaultValue: key });
const verdictLabel = (language: Language, verdict: string): string =>
  textsFor(language)(`report:readiness.verdicts.${verdict}`, { defaultValue: verdict });
const camelWords = (key: string) =>
  key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/_/g, ' ')
    .toLowerCase();
/** A measure's name: from the catalogue where it has one, else its key in words (a quarter label as such). */
const measureName = (language: Language, key: string): string =>
  /^\d{4}-Q[1-4]$/.test(key)
    ? formatQuarter(language, key)
    : textsFor(language)(`report:measures.${key}`, { defaultValue: camelWords(key) });
/** A measure's value: a number as the language writes it, and the few words a gate stores as codes. */
const measureValue = (language: Language, key: string, value: number | string | null): string => {
  if (key === 'coachesFrom' && typeof value === 'string')
    return textsFor(language)(`report:values.${value}`, { defaultValue: value });
  if (key === 'barriers' && typeof value === 'string')
    return value ? formatList(language, value.split(', ').map((element) => adkarName(language, element))) : DASH;
  if (/Quarter$/.test(key) && typeof value === 'string') return formatQuarter(language, value);
  return plain(language, value);
};
const numbersText = (language: Language, numbers: Record<string, number | string | null>) =>
  Object.entries(numbers)
    .map(([key, value]) => `${measureName(language, key)}: ${measureValue(language, key, value)}`)
    .join(' · ');

/** A question's text in the reader's language, else English, else whichever there is. */
const textIn = (text: Record<Locale, string>, language: Language): { text: string; lang: Locale } => {
  for (const lang of [language, 'en', 'fi', 'sv'] as Locale[])
    if (text[lang]) return { text: text[lang], lang };
  return { text: '', lang: language };
};

const svgOf = async (chart: Chart | null) =>
  chart ? `<figure>${await renderChart(chart)}</figure>` : '';

const audienceNote = (language: Language, audience: ShareAudience, k: number) =>
  textsFor(language)(audience === 'sponsor' ? 'report:audience.sponsor' : 'report:audience.coach', {
    k: formatNumber(language, k),
  });

// ---- learning report

/** The learning report's page, from a view already narrowed to its audience (see `publishLearning`). */
export async function renderLearningHtml(content: LearningReportContent, options: HtmlOptions): Promise<string> {
  return renderFrame(await learningFrame(content, options));
}

/** The learning report's masthead and sections, for its own page or embedded in another (the console). */
export async function learningFrame(content: LearningReportContent, options: HtmlOptions): Promise<PageFrame> {
  const language = options.language;
  const t = textsFor(language);
  const languageName = (locale: string) => t(`report:languages.${locale}`, { defaultValue: locale });
  const charts = chartWords(language);
  const quarter = (label: string | null | undefined) => formatQuarter(language, label);
  const k = kOfReport(content);
  const titles = new Map(content.practice.confidence.map((c) => [c.keyResultId, c.title]));
  const questions = await Promise.all(
    content.questions.map(async (q: QuestionSummary) => {
      const { text, lang } = textIn(q.text, language);
      return {
        text,
        lang,
        type: t(`report:learning.types.${q.type}`, { defaultValue: q.type }),
        responses: q.responses,
        suppressed: q.suppressed === true,
        scale: ['likert5', 'scale10', 'nps'].includes(q.type),
        mean: decimal(language, q.mean, 1),
        median: decimal(language, q.median, 1),
        svg: await svgOf(distributionChart(q, text, charts)),
        choices: q.type === 'single_choice' ? q.distribution : [],
        trend: q.trend.map((point) => ({
          ...point,
          quarterLabel: quarter(point.quarterLabel),
          mean: decimal(language, point.mean, 1),
        })),
        byLevel: q.byLevel.map((l) =>
          'suppressed' in l
            ? { label: levelLabel(language, l.level), suppressed: true }
            : { label: levelLabel(language, l.level), responses: l.responses, mean: decimal(language, l.mean, 1) },
        ),
      };
    }),
  );
  const shown = content.response.byLevel.flatMap((l) => ('suppressed' in l ? [] : [l]));
  const practice = content.practice;
  const thisPilot = (name: string) => t('report:learning.thisPilot', { pilot: name });
  const body = learningTemplate({
    language,
    k,
    flags: content.flags.map((f) => ({
      label: t(`report:flags.labels.${f.code}`, { defaultValue: f.code }),
      message: flagSentence(f, language),
      numbers: numbersText(language, f.numbers),
    })),
    response: {
      rate: percent(language, content.response.rate),
      count: content.response.count,
      of: content.response.of,
      svg: await svgOf(responseByLevelChart(shown, charts)),
      levels: content.response.byLevel.map((l) =>
        'suppressed' in l
          ? { label: levelLabel(language, l.level), suppressed: true }
          : { label: levelLabel(language, l.level), count: l.count, of: l.of, rate: percent(language, l.rate) },
      ),
    },
    questions,
    nps: content.nps && { ...content.nps, score: decimal(language, content.nps.score, 1) },
    adkar: content.adkar.map((a) => ({
      element: t(`report:adkar.${a.element}`, { defaultValue: a.element }),
      responses: a.responses,
      mean: decimal(language, a.mean, 1),
      barrier: a.barrier ? t('report:learning.adkar.isBarrier') : t('report:page.no'),
    })),
    practice: {
      rhythm: percent(language, practice.rhythm.share),
      rhythmDone: practice.rhythm.done,
      rhythmDue: practice.rhythm.due,
      committed: percent(language, practice.committed.share),
      committedMet: practice.committed.met,
      committedTotal: practice.committed.total,
      aspirational: decimal(language, practice.aspirational.average),
      reading: practice.aspirationalReading ? t(`report:learning.readings.${practice.aspirationalReading}`) : null,
      bands: practice.scoreBands,
      bandsSvg: await svgOf(scoreBandsChart(practice.scoreBands, charts)),
      confidenceSvg: await svgOf(confidenceChart(practice.confidence, charts)),
      drops: practice.confidenceDrops.map((d) => ({ ...d, title: titles.get(d.keyResultId) ?? '' })),
      still: practice.noMovement,
    },
    dialogue: dialogueView(content, language),
    comparisonSvg: await svgOf(comparisonChart(content.comparison, charts, thisPilot)),
    comparison: content.comparison.map((p) => ({
      name: p.self ? thisPilot(p.pilotName) : p.pilotName,
      quarter: p.quarterLabel ? quarter(p.quarterLabel) : DASH,
      participants: p.participants,
      responseRate: percent(language, p.responseRate),
      rhythm: percent(language, p.checkInRhythm),
      nps: decimal(language, p.nps, 1),
      committedMet: percent(language, p.committedMet),
      aspirational: decimal(language, p.aspirationalAverage),
    })),
    themes: content.themes.map((question) => {
      const asked = question.text && textIn(question.text, language);
      return {
        pooled: question.key === null,
        text: asked?.text ?? '',
        lang: asked?.lang ?? language,
        responses: question.responses,
        suppressed: question.suppressed,
        languages: question.languages
          .filter((t) => !t.suppressed)
          .map((t) => ({
            locale: t.locale,
            language: languageName(t.locale),
            responses: t.responses,
            terms: t.terms.map((x) => `${x.term} (${x.count})`).join(', '),
            phrases: t.phrases.map((x) => `${x.phrase} (${x.count})`).join(', '),
            quotes: t.quotes,
          })),
        hidden: question.suppressed
          ? ''
          : question.languages
              .filter((t) => t.suppressed)
              .map((t) => languageName(t.locale))
              .join(', '),
      };
    }),
  });
  const q = content.quarter;
  const names = { pilot: content.pilot.name, quarter: quarter(q.label), organization: content.organization.name };
  return {
    title: t('report:learning.title', names),
    eyebrow: t('report:learning.eyebrow', names),
    heading: t('report:learning.heading', names),
    meta: [
      t('report:learning.meta', {
        wave: content.pilot.waveNumber,
        levels: levelList(language, content.pilot.levels),
        number: q.number,
        from: formatDate(language, q.startsOn),
        to: formatDate(language, q.endsOn),
      }),
      t('report:learning.rollout', { goal: content.rollout.goal }),
    ],
    note: audienceNote(language, options.audience, k),
    footer: t('report:learning.footer', { date: formatDateTime(language, content.builtAt) }),
    body,
    language,
    downloads: options.downloads,
    noindex: options.noindex,
  };
}

/** The planning dialogue's section: absent in reports built before it, a sentence when there was none. */
function dialogueView(content: LearningReportContent, language: Language) {
  const dialogue = content.dialogue;
  if (dialogue === undefined) return null;
  if (dialogue === null) return { none: true };
  const t = textsFor(language);
  const number = (value: number) => formatNumber(language, value);
  const comparison = dialogue.comparison;
  return {
    none: false,
    participants: number(dialogue.participants),
    tookPart: number(dialogue.tookPart),
    entries: number(dialogue.entries),
    comments: number(dialogue.comments),
    rewordings: number(dialogue.rewordings),
    offers: number(dialogue.offers),
    keyResultsChanged: number(dialogue.keyResultsChanged),
    ownersVolunteered: number(dialogue.ownersVolunteered),
    objectives: dialogue.objectives,
    k: number(comparison.k),
    withheld: comparison.withheld,
    groups: comparison.withheld
      ? []
      : (['discussed', 'notDiscussed'] as const).map((key) => ({
          label: t(`report:learning.dialogue.${key}`),
          keyResults: comparison[key].keyResults,
          scored: comparison[key].scored,
          averageScore: decimal(language, comparison[key].averageScore),
          checkIns: decimal(language, comparison[key].checkInsPerKeyResult, 1),
        })),
  };
}

// ---- readiness report

const pairs = (language: Language, numbers: Record<string, number | string | null> | undefined) =>
  Object.entries(numbers ?? {}).map(([name, value]) => ({
    name: measureName(language, name),
    value: measureValue(language, name, value),
  }));

export async function renderReadinessHtml(
  content: ReadinessReportContent,
  options: HtmlOptions,
): Promise<string> {
  return renderFrame(await readinessFrame(content, options));
}

/** The readiness report's masthead and sections, for its own page or embedded in another (the console). */
export async function readinessFrame(content: ReadinessReportContent, options: HtmlOptions): Promise<PageFrame> {
  const language = options.language;
  const t = textsFor(language);
  const charts = chartWords(language);
  const quarter = (label: string | null | undefined) => formatQuarter(language, label);
  const gates = content.gates.map((g) => ({
    key: g.key,
    label: gateLabel(language, g.key),
    passed: g.passed,
    summary: gateSentence(g, language),
    numbers: pairs(language, g.numbers),
    thresholds: pairs(language, g.thresholds),
    byPilot: (g.byPilot ?? []).map((p) => ({
      ...p,
      quarterLabel: quarter(p.quarterLabel),
      numbers: numbersText(language, p.numbers),
    })),
    reports: formatList(
      language,
      g.learningReports.map((r) => `${r.pilotName} (${quarter(r.quarterLabel)})`),
    ),
  }));
  const wave = content.nextWave;
  const verdict = verdictLabel(language, content.verdict);
  const body = readinessTemplate({
    language,
    verdict: { key: content.verdict, label: verdict },
    conditions: formatList(
      language,
      content.conditions.map((c) => gateLabel(language, c)),
    ),
    statusSvg: await svgOf(gateStatusChart(content.gates, charts)),
    measuresSvg: await svgOf(gateMeasuresChart(content.gates, charts)),
    gates,
    wave: {
      size: formatNumber(language, wave.size),
      coachesNeeded: formatNumber(language, wave.coachesNeeded),
      startQuarter: quarter(wave.startQuarter),
      levels: levelList(language, wave.levels) || DASH,
      newLevels: levelList(language, wave.newLevels ?? []),
      basis: pairs(language, wave.basis as unknown as Record<string, number> | undefined),
    },
    rollout: {
      ...content.rollout,
      targetHeadcount: formatNumber(language, content.rollout.targetHeadcount),
      status: t(`report:readiness.statuses.${content.rollout.status}`, { defaultValue: content.rollout.status }),
    },
    organization: { ...content.organization, headcount: formatNumber(language, content.organization.headcount) },
  });
  const names = { organization: content.organization.name };
  return {
    title: t('report:readiness.title', names),
    eyebrow: t('report:readiness.eyebrow', names),
    heading: t('report:readiness.heading', { verdict }),
    meta: [t('report:readiness.rollout', { goal: content.rollout.goal })],
    note: options.audience === 'sponsor' ? t('report:readiness.sponsorNote') : undefined,
    footer: t('report:readiness.footer', { date: formatDateTime(language, content.builtAt) }),
    body,
    language,
    downloads: options.downloads,
    noindex: options.noindex,
  };
}
