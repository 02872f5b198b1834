import { learningFlags, type FlagInput } from './flags';

const base: FlagInput = {
  quarterNumber: 1,
  keyResults: 3,
  withoutMovement: 3,
  objectives: { objectives: 2, newOrRefreshed: 0 },
  response: { of: 10, count: 6, rate: 0.6 },
  confidence: [],
};
const quarter = (number: number, confidence: number | null) => ({
  quarterId: `q${number}`,
  label: `2027-Q${number}`,
  number,
  confidence,
  source: confidence === null ? null : ('check_ins' as const),
});
const codes = (input: Partial<FlagInput>) => learningFlags({ ...base, ...input }).map((flag) => flag.code);

describe('learning flags', () => {
  it('expects key results to move by the second quarter', () => {
    expect(codes({ quarterNumber: 1 })).toEqual([]);
    expect(codes({ quarterNumber: 2 })).toEqual(['no_key_result_movement']);
    expect(codes({ quarterNumber: 2, withoutMovement: 2 })).toEqual([]);
  });

  it('expects new or refreshed objectives by the fourth quarter', () => {
    expect(codes({ quarterNumber: 3, withoutMovement: 0 })).toEqual([]);
    expect(codes({ quarterNumber: 4, withoutMovement: 0 })).toEqual(['no_new_objectives']);
    expect(codes({ quarterNumber: 4, withoutMovement: 0, objectives: { objectives: 2, newOrRefreshed: 1 } })).toEqual(
      [],
    );
  });

  it('flags a response rate below 50%, not one without a retrospective', () => {
    expect(codes({ response: { of: 10, count: 4, rate: 0.4 } })).toEqual(['low_response_rate']);
    expect(codes({ response: { of: 10, count: 5, rate: 0.5 } })).toEqual([]);
    expect(codes({ response: null })).toEqual([]);
  });

  it('flags confidence falling two quarters in a row, ending in this one', () => {
    const falling = [quarter(1, 8), quarter(2, 7), quarter(3, 6.5)];
    expect(codes({ quarterNumber: 3, withoutMovement: 0, confidence: falling })).toEqual(['confidence_falling']);
    const flag = learningFlags({ ...base, quarterNumber: 3, withoutMovement: 0, confidence: falling })[0];
    expect(flag.numbers).toEqual({ '2027-Q1': 8, '2027-Q2': 7, '2027-Q3': 6.5 });
    expect(codes({ quarterNumber: 3, withoutMovement: 0, confidence: [quarter(1, 8), quarter(2, 7), quarter(3, 7)] })).toEqual([]);
    expect(codes({ quarterNumber: 3, withoutMovement: 0, confidence: [quarter(1, null), quarter(2, 7), quarter(3, 6)] })).toEqual([]);
    expect(codes({ quarterNumber: 2, withoutMovement: 0, confidence: [quarter(1, 8), quarter(2, 7)] })).toEqual([]);
  });
});
