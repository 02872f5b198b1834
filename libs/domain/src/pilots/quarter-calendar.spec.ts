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

  it('follows a fiscal year named after the calendar year it ends in', () => {
    // A year starting in July: FY2027 runs from 1 July 2026 to 30 June 2027.
    const q1 = quarterDates({ year: 2027, quarter: 1 }, 'Europe/Helsinki', 7);
    expect(q1).toMatchObject({ label: '2027-Q1', startsOn: '2026-07-01', endsOn: '2026-09-30' });
    // Helsinki is on summer time (UTC+3) on 1 July.
    expect(q1.startsAt.toISOString()).toBe('2026-06-30T21:00:00.000Z');
    expect(quarterDates({ year: 2027, quarter: 3 }, 'Europe/Helsinki', 7)).toMatchObject({
      startsOn: '2027-01-01',
      endsOn: '2027-03-31',
    });
    expect(quarterDates({ year: 2027, quarter: 4 }, 'Europe/Helsinki', 7)).toMatchObject({
      startsOn: '2027-04-01',
      endsOn: '2027-06-30',
    });
    // A year starting in April: FY2028's second quarter is July to September 2027.
    expect(quarterDates({ year: 2028, quarter: 2 }, 'Europe/Stockholm', 4)).toMatchObject({
      label: '2028-Q2',
      startsOn: '2027-07-01',
      endsOn: '2027-09-30',
    });
    // Month 1 is the calendar year, as before.
    expect(quarterDates({ year: 2027, quarter: 2 }, 'Europe/Helsinki', 1)).toMatchObject({
      startsOn: '2027-04-01',
      endsOn: '2027-06-30',
    });
    const series = quarterSeries({ year: 2027, quarter: 4 }, 2, 'Europe/Helsinki', 7);
    expect(series.map((q) => [q.label, q.startsOn, q.endsOn])).toEqual([
      ['2027-Q4', '2027-04-01', '2027-06-30'],
      ['2028-Q1', '2027-07-01', '2027-09-30'],
    ]);
  });
});
