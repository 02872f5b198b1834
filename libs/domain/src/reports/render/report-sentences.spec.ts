import { pilotEvidence, practiceSums, rolloutEvidence } from '../../../../../test/support/readiness-evidence';
import { learningFlags, type FlagInput } from '../learning/flags';
import {
  capacityGate,
  checkinRhythmGate,
  outcomeHealthGate,
  participationGate,
  peopleReadinessGate,
  responseRateGate,
  trendGate,
} from '../readiness/gates';
import { flagSentence, gateSentence } from './report-sentences';

// The sentences are written at render time from what a report stores (codes, numbers, thresholds). In
// English they must say exactly what the flag and the gate stored when the report was built.

const flagInput: FlagInput = {
  quarterNumber: 4,
  keyResults: 2,
  withoutMovement: 2,
  objectives: { objectives: 3, newOrRefreshed: 0 },
  response: { of: 12, count: 5, rate: 0.4167 },
  confidence: [2, 3, 4].map((number, i) => ({
    quarterId: `q${number}`,
    label: `2027-Q${number}`,
    number,
    confidence: [8, 6.3, 5][i],
    source: 'check_ins' as const,
  })),
};

describe('report sentences', () => {
  it('writes every flag in English as the flag stored it', () => {
    const flags = [
      ...learningFlags(flagInput),
      ...learningFlags({ ...flagInput, keyResults: 0, withoutMovement: 0 }),
    ];
    expect(flags.map((f) => f.code).sort()).toEqual(
      [
        'confidence_falling',
        'confidence_falling',
        'low_response_rate',
        'low_response_rate',
        'no_key_result_movement',
        'no_key_result_movement',
        'no_new_objectives',
        'no_new_objectives',
      ].sort(),
    );
    for (const flag of flags.filter((f) => f.code !== 'confidence_falling'))
      expect(flagSentence(flag, 'en')).toBe(flag.message);
  });

  it('writes the flags in Finnish and Swedish, quarters and numbers as they write them', () => {
    const [movement, objectives, response, confidence] = learningFlags(flagInput);
    expect(flagSentence(movement, 'fi')).toBe(
      '4. neljänneksellä yksikään avaintulos ei liikkunut lähtötasostaan (2 avaintulosta).',
    );
    expect(flagSentence(objectives, 'sv')).toBe(
      'Under kvartal 4 är inget mål nytt eller förnyat; alla 3 fördes över oförändrade.',
    );
    expect(flagSentence(response, 'fi')).toMatch(/^5\/12 kutsutusta vastasi retrospektiiviin, alle 50\s%\.$/);
    expect(flagSentence(confidence, 'fi')).toBe(
      'Luottamus laski kaksi neljännestä peräkkäin: Q2/2027 8 → Q3/2027 6,3 → Q4/2027 5.',
    );
  });

  const pilots = [pilotEvidence('North'), pilotEvidence('South')];
  const totals = practiceSums({
    participants: 40,
    tookPart: 31,
    participation: 0.775,
    invited: 40,
    responded: 27,
    responseRate: 0.675,
    rhythmDue: 60,
    rhythmDone: 42,
    rhythm: 0.7,
    committedTotal: 8,
    committedMet: 5,
    committedMetShare: 0.625,
    aspirationalScored: 6,
    aspirationalAverage: 0.6333,
  });
  const trend = (name: string, previous: number, latest: number) =>
    pilotEvidence(name, {
      trend: {
        question: 'confidence_next_quarter',
        previousQuarter: '2027-Q1',
        previous,
        latestQuarter: '2027-Q2',
        latest,
        change: Math.round((latest - previous) * 10) / 10,
      },
    });

  it.each([
    ['participation', participationGate(rolloutEvidence(pilots, totals), { participationMin: 0.6 })],
    ['participation, no data', participationGate(rolloutEvidence(pilots), { participationMin: 0.6 })],
    ['participation, no reports', participationGate(rolloutEvidence([]), { participationMin: 0.6 })],
    ['response rate', responseRateGate(rolloutEvidence(pilots, totals), { responseRateMin: 0.7 })],
    ['response rate, no data', responseRateGate(rolloutEvidence(pilots), { responseRateMin: 0.7 })],
    ['check-in rhythm', checkinRhythmGate(rolloutEvidence(pilots, totals), { checkinRhythmMin: 0.75 })],
    [
      'outcome health',
      outcomeHealthGate(rolloutEvidence(pilots, totals), {
        aspirationalMin: 0.6,
        aspirationalMax: 0.85,
        committedMetMin: 0.7,
      }),
    ],
    [
      'outcome health, too safe',
      outcomeHealthGate(rolloutEvidence(pilots, totals), {
        aspirationalMin: 0.4,
        aspirationalMax: 0.6,
        committedMetMin: 0.5,
      }),
    ],
    [
      'outcome health, nothing scored',
      outcomeHealthGate(rolloutEvidence(pilots, practiceSums({ committedMetShare: 0.5 })), {
        aspirationalMin: 0.6,
        aspirationalMax: 0.85,
        committedMetMin: 0.7,
      }),
    ],
    ['trend, steady', trendGate(rolloutEvidence([trend('North', 6.5, 7), trend('South', 7, 7)]), { trendTolerance: 0 })],
    ['trend, falling', trendGate(rolloutEvidence([trend('North', 6.5, 7), trend('South', 7, 6.2)]), { trendTolerance: 0.5 })],
    ['trend, one left out', trendGate(rolloutEvidence([trend('North', 6.5, 7), pilotEvidence('South')]), { trendTolerance: 0 })],
    ['trend, no data', trendGate(rolloutEvidence([pilotEvidence('North')]), { trendTolerance: 0 })],
    ['capacity', capacityGate({ size: 120, coachesNeeded: 2 }, { pilotCoaches: 1 }, { participantsPerCoachMax: 80 })],
    [
      'capacity, set coaches',
      capacityGate({ size: 120, coachesNeeded: 2 }, { pilotCoaches: 1 }, { participantsPerCoachMax: 80, coachesAvailable: 3 }),
    ],
    ['capacity, no coach', capacityGate({ size: 120, coachesNeeded: 2 }, { pilotCoaches: 0 }, { participantsPerCoachMax: 80 })],
    ['capacity, nobody', capacityGate({ size: 0, coachesNeeded: 0 }, { pilotCoaches: 1 }, { participantsPerCoachMax: 80 })],
  ])('writes the %s gate in English as it stored it', (_case, gate) => {
    // Quarters as English writes them ("Q1 2027"); otherwise the very sentence stored.
    expect(gateSentence(gate, 'en')).toBe(gate.summary.replace(/(\d{4})-Q([1-4])/g, 'Q$2 $1'));
  });

  it('writes the people-readiness gate with its elements and barriers named in each language', () => {
    const adkar = [
      { element: 'awareness' as const, mean: 4.1, responses: 20 },
      { element: 'desire' as const, mean: 2.9, responses: 20 },
      { element: 'knowledge' as const, mean: 3.5, responses: 20 },
      { element: 'ability' as const, mean: 3, responses: 20 },
      { element: 'reinforcement' as const, mean: 3.6, responses: 20 },
    ];
    const rated = [pilotEvidence('North', { adkar }), pilotEvidence('South', { adkar })];
    const gate = peopleReadinessGate(rolloutEvidence(rated, totals, adkar), { adkarBarrier: 3 });
    expect(gate.passed).toBe(false);
    expect(gateSentence(gate, 'en')).toBe(
      'ADKAR means awareness 4.1; desire 2.9; knowledge 3.5; ability 3; reinforcement 3.6: desire and ability at ' +
        'or below 3 are barriers to widening.',
    );
    expect(gateSentence(gate, 'fi')).toBe(
      'ADKAR-keskiarvot tietoisuus 4,1; halu 2,9; tieto 3,5; kyky 3; vahvistaminen 3,6: halu ja kyky ovat ' +
        'enintään 3, joten ne ovat laajentamisen esteitä.',
    );
    expect(gateSentence(gate, 'sv')).toContain('vilja och förmåga på eller under 3 är hinder för att bredda.');
    // A pilot whose report publishes no rating is named as left out, in the reader's language.
    const partly = peopleReadinessGate(rolloutEvidence([rated[0], pilotEvidence('South')], totals, adkar), {
      adkarBarrier: 3,
    });
    expect(gateSentence(partly, 'fi')).toMatch(/ Ei laskettu mukaan, .*: South \(kaikki osa-alueet\)\.$/);
  });

  it('shows the stored sentence where the stored numbers lack what a sentence needs', () => {
    const gate = { ...responseRateGate(rolloutEvidence(pilots, totals), { responseRateMin: 0.7 }), numbers: {} };
    expect(gateSentence(gate, 'fi')).toBe(gate.summary);
  });
});
