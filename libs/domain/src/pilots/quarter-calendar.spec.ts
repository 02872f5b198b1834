import { nextQuarter, parseQuarterLabel, quarterDates, quarterSeries } from './quarter-calendar';

describe('quarter calendar', () => {
  it('parses labels and refuses malformed ones', () => {
    expect(parseQuarterLabel('2027-Q1')).toEqual({ year: 2027, quarter: 1 });
    for (const bad of ['2027-Q5', '2027Q1', '27-Q1', '2027-q1', '', '1999-Q4'])
      expect(parseQuarterLabel(bad)).toBeNull();
  });

  it('rolls over the year', () => {
    expect(nextQuarter({ year: 2027, quarter: 4 })).toEqual({ year: 2028, quarter: 1 });
    expect(nextQuarter({ year: 2027, quarter: 2 }, 5)).toEqual({ year: 2028, quarter: 3 });
  });

  it('places quarter boundaries at local midnight of the organization', () => {
    const q1 = quarterDates({ year: 2027, quarter: 1 }, 'Europe/Helsinki');
    expect(q1).toMatchObject({ label: '2027-Q1', startsOn: '2027-01-01', endsOn: '2027-03-31' });
    // Helsinki is UTC+2 in winter; Q2 starts after the switch to summer time (UTC+3).
    expect(q1.startsAt.toISOString()).toBe('2026-12-31T22:00:00.000Z');
    expect(q1.endsAt.toISOString()).toBe('2027-03-31T21:00:00.000Z');
    const q3 = quarterDates({ year: 2027, quarter: 3 }, 'America/New_York');
    expect(q3).toMatchObject({ startsOn: '2027-07-01', endsOn: '2027-09-30' });
    expect(q3.startsAt.toISOString()).toBe('2027-07-01T04:00:00.000Z');
  });

  it('makes a consecutive series without gaps', () => {
    const series = quarterSeries({ year: 2027, quarter: 3 }, 4, 'Europe/Stockholm');
    expect(series.map((q) => q.label)).toEqual(['2027-Q3', '2027-Q4', '2028-Q1', '2028-Q2']);
    for (let i = 1; i < series.length; i++) expect(series[i].startsAt).toEqual(series[i - 1].endsAt);
  });
});
