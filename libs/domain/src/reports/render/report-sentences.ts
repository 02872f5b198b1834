import {
  formatDecimal,
  formatList,
  formatNumber,
  formatPercent,
  formatQuarter,
  languageTag,
  textsFor,
  type Language,
} from '@luotsi/texts';
import { ADKAR_ELEMENTS, type AdkarElement } from '../../surveys';
import type { LearningFlag, ReadinessGate } from '../report-content';

/**
 * The sentences a built report states (its flags and its gates' verdicts), written in the reader's
 * language at render time from what the report stores: the flag's code or the gate's key, and the
 * numbers and thresholds it was judged on. Stored content keeps its English sentence (`message`,
 * `summary`) for the JSON and is not changed, so every report ever built reads in fi, sv and en alike.
 * Where the stored numbers lack what a sentence needs (content older than its numbers), the stored
 * English sentence is shown as it is.
 */

type Numbers = Record<string, number | string | null>;

const num = (numbers: Numbers, key: string): number | null | undefined => {
  const value = numbers[key];
  return value === undefined ? undefined : typeof value === 'number' ? value : null;
};

/** Whether every key is present (a null value is present: it says "not computed"). */
const has = (numbers: Numbers, keys: string[]) => keys.every((key) => key in numbers);

export function flagSentence(flag: LearningFlag, language: Language): string {
  const t = textsFor(language);
  const n = flag.numbers ?? {};
  const count = (key: string) => formatNumber(language, num(n, key));
  switch (flag.code) {
    case 'no_key_result_movement':
      if (!has(n, ['quarterNumber', 'keyResults'])) break;
      return num(n, 'keyResults')
        ? t('report:flags.messages.noMovement', { quarter: count('quarterNumber'), keyResults: count('keyResults') })
        : t('report:flags.messages.noKeyResults', { quarter: count('quarterNumber') });
    case 'no_new_objectives':
      if (!has(n, ['quarterNumber', 'objectives'])) break;
      return t('report:flags.messages.noNewObjectives', {
        quarter: count('quarterNumber'),
        objectives: count('objectives'),
      });
    case 'low_response_rate':
      if (!has(n, ['invited', 'responded', 'threshold'])) break;
      return t('report:flags.messages.lowResponseRate', {
        responded: count('responded'),
        invited: count('invited'),
        threshold: formatPercent(language, num(n, 'threshold')),
      });
    case 'confidence_falling': {
      // The numbers are the quarters' confidence by quarter label, oldest first.
      const values = Object.entries(n).map(
        ([label, value]) =>
          `${formatQuarter(language, label)} ${typeof value === 'number' ? formatDecimal(language, value, 2) : '–'}`,
      );
      if (!values.length) break;
      return t('report:flags.messages.confidenceFalling', { values: values.join(' → ') });
    }
  }
  return flag.message;
}

/** An ADKAR element's name inside a sentence ("tietoisuus", "medvetenhet", "awareness"). */
export const adkarName = (language: Language, element: string): string =>
  textsFor(language)(`report:adkar.${element}`, { defaultValue: element }).toLocaleLowerCase(languageTag(language));

export function gateSentence(gate: ReadinessGate, language: Language): string {
  return gateSentenceOrNull(gate, language) ?? gate.summary;
}

function gateSentenceOrNull(gate: ReadinessGate, language: Language): string | null {
  const t = textsFor(language);
  const n = gate.numbers ?? {};
  const th = gate.thresholds ?? {};
  const share = (value: number | null | undefined) => formatPercent(language, value, 1);
  const count = (value: number | null | undefined) => formatNumber(language, value);
  const decimal = (value: number | null | undefined) => formatDecimal(language, value);
  const withheld = t('report:gates.withheld');
  if (gate.key !== 'capacity' && !gate.learningReports?.length) return t('report:gates.noReports');
  switch (gate.key) {
    case 'participation': {
      if (!has(n, ['participants', 'tookPart', 'participation']) || th.participationMin === undefined) return null;
      const value = num(n, 'participation');
      if (value == null) return t('report:gates.participation.noData');
      return t('report:gates.participation.summary', {
        share: share(value),
        participants: count(num(n, 'participants')),
        tookPart: count(num(n, 'tookPart')),
        minimum: share(th.participationMin),
      });
    }
    case 'response_rate': {
      if (!has(n, ['invited', 'responded', 'responseRate']) || th.responseRateMin === undefined) return null;
      const value = num(n, 'responseRate');
      if (value == null) return t('report:gates.response_rate.noData');
      return t('report:gates.response_rate.summary', {
        responded: count(num(n, 'responded')),
        invited: count(num(n, 'invited')),
        share: share(value),
        minimum: share(th.responseRateMin),
      });
    }
    case 'checkin_rhythm': {
      if (!has(n, ['due', 'done', 'rhythm']) || th.checkinRhythmMin === undefined) return null;
      const value = num(n, 'rhythm');
      if (value == null) return t('report:gates.checkin_rhythm.noData');
      return t('report:gates.checkin_rhythm.summary', {
        done: count(num(n, 'done')),
        due: count(num(n, 'due')),
        share: share(value),
        minimum: share(th.checkinRhythmMin),
      });
    }
    case 'outcome_health': {
      const keys = ['aspirationalScored', 'aspirationalAverage', 'committedTotal', 'committedMet', 'committedMetShare'];
      const { aspirationalMin: min, aspirationalMax: max, committedMetMin } = th;
      if (!has(n, keys) || min === undefined || max === undefined || committedMetMin === undefined) return null;
      const average = num(n, 'aspirationalAverage');
      const met = num(n, 'committedMetShare');
      if (average == null || met == null) {
        const missing = [
          average == null ? t('report:gates.outcome_health.noScored') : null,
          met == null ? t('report:gates.outcome_health.noCommitted') : null,
        ].filter((part): part is string => part !== null);
        return t('report:gates.outcome_health.noData', { missing: formatList(language, missing) });
      }
      const reading = average >= max ? 'too_safe' : average < min ? 'below' : 'healthy';
      return t('report:gates.outcome_health.summary', {
        average: decimal(average),
        scored: count(num(n, 'aspirationalScored')),
        reading: t(`report:gates.outcome_health.readings.${reading}`),
        min: decimal(min),
        max: decimal(max),
        met: count(num(n, 'committedMet')),
        total: count(num(n, 'committedTotal')),
        share: share(met),
        minimum: share(committedMetMin),
      });
    }
    case 'people_readiness': {
      const barrier = th.adkarBarrier;
      if (!has(n, [...ADKAR_ELEMENTS]) || barrier === undefined) return null;
      const mean = (numbers: Numbers, element: AdkarElement) => num(numbers, element) ?? null;
      const names = (elements: readonly string[]) =>
        formatList(
          language,
          elements.map((element) => adkarName(language, element)),
        );
      const unrated = ADKAR_ELEMENTS.filter((element) => mean(n, element) === null);
      if (unrated.length)
        return t('report:gates.people_readiness.noData', { elements: names(unrated), withheld });
      const barriers = ADKAR_ELEMENTS.filter((element) => (mean(n, element) as number) <= barrier);
      // Semicolons between the pairs: a decimal comma would otherwise read as a separator.
      const means = ADKAR_ELEMENTS.map((element) => `${adkarName(language, element)} ${decimal(mean(n, element))}`).join(
        '; ',
      );
      const gaps = (gate.byPilot ?? [])
        .map((p) => ({ name: p.pilotName, missing: ADKAR_ELEMENTS.filter((e) => mean(p.numbers, e) === null) }))
        .filter((p) => p.missing.length)
        .map(
          (p) =>
            `${p.name} (${
              p.missing.length === ADKAR_ELEMENTS.length
                ? t('report:gates.people_readiness.everyElement')
                : names(p.missing)
            })`,
        );
      const sentence = barriers.length
        ? t('report:gates.people_readiness.barriers', {
            count: barriers.length,
            means,
            barriers: names(barriers),
            threshold: decimal(barrier),
          })
        : t('report:gates.people_readiness.noBarrier', { means, threshold: decimal(barrier) });
      const leftOut = gaps.length
        ? ` ${t('report:gates.people_readiness.leftOut', { withheld, pilots: gaps.join('; ') })}`
        : '';
      return sentence + leftOut;
    }
    case 'trend': {
      const tolerance = th.trendTolerance;
      if (!('question' in n) || tolerance === undefined || !gate.byPilot) return null;
      const question = typeof n.question === 'string' ? n.question : null;
      const pilots = gate.byPilot.map((p) => ({ name: p.pilotName, trend: p.numbers }));
      const compared = pilots.filter((p) => typeof p.trend.change === 'number');
      if (!compared.length)
        return t('report:gates.trend.noData', {
          question: question ?? t('report:gates.trend.headline'),
          withheld,
        });
      const movement = (p: (typeof pilots)[number]) =>
        `${p.name} ${decimal(num(p.trend, 'previous'))} (${formatQuarter(language, String(p.trend.previousQuarter ?? ''))}) → ` +
        `${decimal(num(p.trend, 'latest'))} (${formatQuarter(language, String(p.trend.latestQuarter ?? ''))})`;
      const falling = compared.filter((p) => (p.trend.change as number) < -tolerance);
      const sentence = falling.length
        ? t(tolerance ? 'report:gates.trend.fallingTolerated' : 'report:gates.trend.falling', {
            question,
            movements: falling.map(movement).join('; '),
            tolerance: decimal(tolerance),
          })
        : t('report:gates.trend.steady', {
            question,
            compared: count(compared.length),
            movements: compared.map(movement).join('; '),
          });
      const notCompared = pilots.filter((p) => typeof p.trend.change !== 'number').map((p) => p.name);
      const leftOut = notCompared.length
        ? ` ${t('report:gates.trend.leftOut', { withheld, pilots: formatList(language, notCompared) })}`
        : '';
      return sentence + leftOut;
    }
    case 'capacity': {
      const keys = ['nextWaveSize', 'coachesAvailable', 'coachesFrom', 'participantsPerCoach', 'coachesNeeded'];
      if (!has(n, keys) || th.participantsPerCoachMax === undefined) return null;
      const size = num(n, 'nextWaveSize');
      const perCoach = num(n, 'participantsPerCoach');
      const needed = count(num(n, 'coachesNeeded'));
      if (size === 0) return t('report:gates.capacity.nobody');
      if (perCoach == null) return t('report:gates.capacity.noCoach', { size: count(size), needed });
      return t('report:gates.capacity.summary', {
        size: count(size),
        coaches: count(num(n, 'coachesAvailable')),
        from: t(n.coachesFrom === 'threshold' ? 'report:gates.capacity.fromThreshold' : 'report:gates.capacity.fromPilots'),
        perCoach: decimal(perCoach),
        max: decimal(th.participantsPerCoachMax),
        needed,
      });
    }
  }
  return null;
}
