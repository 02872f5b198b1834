import {
  colourBand,
  objectiveProgress,
  objectiveScore,
  progress,
  ProgressInput,
  qualityHints,
  validateConfidence,
  validateKeyResult,
  validateScore,
} from './okr-rules';

const metric = (startValue: number, targetValue: number, currentValue: number | null): ProgressInput => ({
  measure: 'metric',
  startValue,
  targetValue,
  currentValue,
  done: false,
});

describe('progress', () => {
  it('is the share of the way from start to target', () => {
    // (35 - 20) / (80 - 20) = 15 / 60
    expect(progress(metric(20, 80, 35))).toBe(0.25);
    // (150 - 100) / (300 - 100) = 50 / 200
    expect(progress(metric(100, 300, 150))).toBe(0.25);
    // (7.5 - 0) / (10 - 0)
    expect(progress(metric(0, 10, 7.5))).toBe(0.75);
  });

  it('reads a target below the start as lower is better', () => {
    // churn 12% → 8%, now 10%: (10 - 12) / (8 - 12) = -2 / -4
    expect(progress(metric(12, 8, 10))).toBe(0.5);
    // days to answer 30 → 5, now 25: -5 / -25
    expect(progress(metric(30, 5, 25))).toBe(0.2);
  });

  it('caps at 0 and 1', () => {
    expect(progress(metric(20, 80, 95))).toBe(1);
    expect(progress(metric(20, 80, 10))).toBe(0);
    expect(progress(metric(12, 8, 14))).toBe(0);
    expect(progress(metric(12, 8, 3))).toBe(1);
  });

  it('counts nothing recorded as the start', () => {
    expect(progress(metric(20, 80, null))).toBe(0);
  });

  it('rounds to four decimals', () => {
    // 1 / 3
    expect(progress(metric(0, 3, 1))).toBe(0.3333);
  });

  it('makes a milestone or binary result 0 or 1', () => {
    for (const measure of ['milestone', 'binary'] as const) {
      const base = { measure, startValue: null, targetValue: null, currentValue: null };
      expect(progress({ ...base, done: false })).toBe(0);
      expect(progress({ ...base, done: true })).toBe(1);
    }
  });
});

describe('colourBand', () => {
  it('is green from 0.7, yellow from 0.4, red below', () => {
    expect(colourBand(1)).toBe('green');
    expect(colourBand(0.7)).toBe('green');
    expect(colourBand(0.69)).toBe('yellow');
    expect(colourBand(0.4)).toBe('yellow');
    expect(colourBand(0.39)).toBe('red');
    expect(colourBand(0)).toBe('red');
    expect(colourBand(null)).toBeNull();
  });
});

describe('objectiveScore', () => {
  it('is the mean of the scored key results', () => {
    // (0.7 + 0.4 + 1.0) / 3 = 2.1 / 3
    expect(objectiveScore([{ finalScore: 0.7 }, { finalScore: 0.4 }, { finalScore: 1 }])).toBe(0.7);
    // (0.5 + 0.6) / 2, the unscored one left out
    expect(objectiveScore([{ finalScore: 0.5 }, { finalScore: null }, { finalScore: 0.6 }])).toBe(0.55);
    // 2 / 3
    expect(objectiveScore([{ finalScore: 1 }, { finalScore: 1 }, { finalScore: 0 }])).toBe(0.6667);
  });

  it('is null when nothing is scored', () => {
    expect(objectiveScore([])).toBeNull();
    expect(objectiveScore([{ finalScore: null }])).toBeNull();
  });

  it('averages progress for the objective', () => {
    // (0.25 + 1 + 0) / 3
    const done = {
      measure: 'binary' as const,
      startValue: null,
      targetValue: null,
      currentValue: null,
      done: true,
    };
    expect(objectiveProgress([metric(20, 80, 35), done, metric(0, 10, null)])).toBe(0.4167);
    expect(objectiveProgress([])).toBeNull();
  });
});

describe('qualityHints', () => {
  const kr = (title: string, overrides: Record<string, unknown> = {}) => ({
    title,
    kind: 'committed' as const,
    measure: 'metric' as const,
    finalScore: null,
    ...overrides,
  });
  const codes = (krs: ReturnType<typeof kr>[]) => qualityHints({ keyResults: krs }).map((h) => h.code);

  it('has nothing to say about a well-formed objective', () => {
    expect(codes([kr('NPS from 20 to 40'), kr('Launch the portal', { measure: 'milestone' })])).toEqual([]);
  });

  it('asks for 2 to 5 key results', () => {
    expect(codes([])).toEqual(['too_few_key_results']);
    expect(codes([kr('A')])).toEqual(['too_few_key_results']);
    expect(codes(['A', 'B', 'C', 'D', 'E'].map((t) => kr(t)))).toEqual([]);
    expect(codes(['A', 'B', 'C', 'D', 'E', 'F'].map((t) => kr(t)))).toEqual(['too_many_key_results']);
  });

  it('asks for a measurable key result', () => {
    expect(codes([kr('A', { measure: 'milestone' }), kr('B', { measure: 'binary' })])).toEqual([
      'no_measurable_key_result',
    ]);
  });

  it('suggests a metric for a binary result with a number in its title', () => {
    const hints = qualityHints({
      keyResults: [kr('NPS up'), { ...kr('Hire 3 coaches', { measure: 'binary' }), id: 'kr-2' }],
    });
    expect(hints).toEqual([expect.objectContaining({ code: 'binary_could_be_metric', keyResultId: 'kr-2' })]);
    expect(hints[0].message).toContain('Hire 3 coaches');
  });

  it('flags aspirational results that averaged 0.85 or more', () => {
    const scored = (finalScore: number) => kr(`A${finalScore}`, { kind: 'aspirational', finalScore });
    // (0.9 + 0.8) / 2 = 0.85
    expect(codes([scored(0.9), scored(0.8)])).toEqual(['aspirational_too_safe']);
    // (0.7 + 0.6) / 2 = 0.65: healthy; committed results at 1.0 do not count
    expect(codes([scored(0.7), scored(0.6), kr('C', { finalScore: 1 })])).toEqual([]);
  });
});

describe('validation', () => {
  const valid = {
    title: 'NPS',
    kind: 'committed' as const,
    measure: 'metric' as const,
    start: 20,
    target: 40,
  };

  it('accepts a valid metric, milestone and binary result', () => {
    expect(validateKeyResult(valid)).toEqual([]);
    expect(validateKeyResult({ title: 'Launch', kind: 'aspirational', measure: 'milestone' })).toEqual([]);
    expect(validateKeyResult({ title: 'Go', kind: 'committed', measure: 'binary', done: true })).toEqual([]);
  });

  it('names the field at fault', () => {
    expect(validateKeyResult({ ...valid, target: 20 })).toEqual([
      { field: 'target', reason: 'must differ from start' },
    ]);
    expect(validateKeyResult({ ...valid, start: null })).toEqual([
      expect.objectContaining({ field: 'start' }),
    ]);
    expect(validateKeyResult({ title: 'M', kind: 'committed', measure: 'milestone', target: 5 })).toEqual([
      expect.objectContaining({ field: 'target' }),
    ]);
    expect(validateKeyResult({ ...valid, title: ' ' })).toEqual([{ field: 'title', reason: 'required' }]);
    expect(validateKeyResult({ ...valid, title: 'x'.repeat(301) })).toEqual([
      expect.objectContaining({ field: 'title' }),
    ]);
    expect(validateKeyResult({ ...valid, confidence: -1 }, 'keyResults[2].')).toEqual([
      expect.objectContaining({ field: 'keyResults[2].confidence' }),
    ]);
  });

  it('checks confidence and scores', () => {
    expect(validateConfidence(0)).toEqual([]);
    expect(validateConfidence(10)).toEqual([]);
    expect(validateConfidence(null)).toEqual([]);
    expect(validateConfidence(11)).toHaveLength(1);
    expect(validateConfidence(7.5)).toHaveLength(1);
    expect(validateScore(0)).toEqual([]);
    expect(validateScore(0.7)).toEqual([]);
    expect(validateScore(1)).toEqual([]);
    expect(validateScore(1.3)).toEqual([{ field: 'score', reason: 'must be a number from 0.0 to 1.0' }]);
    expect(validateScore(-0.1)).toHaveLength(1);
  });
});
