import { ADKAR_ELEMENTS, type AdkarElement } from '../../../surveys';
import type { ReadinessGate } from '../../report-content';
import type { AdkarMean, RolloutEvidence } from '../readiness-evidence';
import type { EffectiveThresholds } from '../readiness-thresholds';
import { GateNumbers, judging, leftOutNote, NO_REPORTS, WITHHELD } from './gate';

const meanOf = (adkar: readonly AdkarMean[], element: AdkarElement) =>
  adkar.find((a) => a.element === element)?.mean ?? null;

/** Passes when every ADKAR element's mean is above `adkarBarrier`; one at or below it is a barrier. */
export function peopleReadinessGate(
  evidence: RolloutEvidence,
  t: Pick<EffectiveThresholds, 'adkarBarrier'>,
): ReadinessGate {
  const mean = (element: AdkarElement) => meanOf(evidence.adkar, element);
  const unrated = ADKAR_ELEMENTS.filter((element) => mean(element) === null);
  const barriers = ADKAR_ELEMENTS.filter((element) => {
    const value = mean(element);
    return value !== null && value <= t.adkarBarrier;
  });
  const numbers: GateNumbers = {
    ...Object.fromEntries(ADKAR_ELEMENTS.map((element) => [element, mean(element)])),
    responses: Math.max(0, ...evidence.adkar.map((a) => a.responses)),
    barriers: barriers.join(', '),
  };
  const judge = judging('people_readiness', evidence, numbers, { adkarBarrier: t.adkarBarrier }, (p) =>
    Object.fromEntries(ADKAR_ELEMENTS.map((element) => [element, meanOf(p.adkar, element)])),
  );
  if (!evidence.pilots.length) return judge(false, NO_REPORTS);
  if (unrated.length)
    return judge(
      false,
      `No data: no pilot's latest learning report publishes an ADKAR rating for ${unrated.join(', ')} ` +
        `(${WITHHELD}).`,
    );
  const means = ADKAR_ELEMENTS.map((element) => `${element} ${mean(element) ?? '–'}`).join(', ');
  // A pilot whose report publishes no rating of an element is left out of that element's mean: say so.
  const gaps = evidence.pilots
    .map((p) => ({
      name: p.report.pilotName,
      missing: ADKAR_ELEMENTS.filter((element) => meanOf(p.adkar, element) === null),
    }))
    .filter((p) => p.missing.length)
    .map((p) => `${p.name} (${p.missing.length === ADKAR_ELEMENTS.length ? 'every element' : p.missing.join(', ')})`);
  const leftOut = leftOutNote('Not counted, as their latest reports publish no rating', gaps, '; ');
  return judge(
    barriers.length === 0,
    (barriers.length
      ? `ADKAR means ${means}: ${barriers.join(', ')} at or below ${t.adkarBarrier} ` +
        `${barriers.length === 1 ? 'is a barrier' : 'are barriers'} to widening.`
      : `ADKAR means ${means}: every element above ${t.adkarBarrier}, no barrier.`) + leftOut,
  );
}
