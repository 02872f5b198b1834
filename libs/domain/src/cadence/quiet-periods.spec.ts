import { dayOutsideQuietPeriods, quietPeriodEndsAt } from '../common/quiet-periods';
import { QUIET_PERIOD_SKIP, shiftOutOfQuietPeriods } from './quiet-periods';

const JULY = { start: '07-01', end: '07-31', label: 'Summer holiday' };
const CHRISTMAS = { start: '12-24', end: '01-06' };

describe('quiet periods', () => {
  it('moves a day in a period to the first day after it, every year', () => {
    expect(dayOutsideQuietPeriods('2027-07-01', [JULY])).toBe('2027-08-01');
    expect(dayOutsideQuietPeriods('2027-07-31', [JULY])).toBe('2027-08-01');
    expect(dayOutsideQuietPeriods('2031-07-15', [JULY])).toBe('2031-08-01');
    expect(dayOutsideQuietPeriods('2027-06-30', [JULY])).toBe('2027-06-30');
    expect(dayOutsideQuietPeriods('2027-08-01', [JULY])).toBe('2027-08-01');
    expect(dayOutsideQuietPeriods('2027-07-10', [])).toBe('2027-07-10');
  });

  it('runs a period over the new year', () => {
    expect(dayOutsideQuietPeriods('2027-12-24', [CHRISTMAS])).toBe('2028-01-07');
    expect(dayOutsideQuietPeriods('2027-12-31', [CHRISTMAS])).toBe('2028-01-07');
    expect(dayOutsideQuietPeriods('2028-01-06', [CHRISTMAS])).toBe('2028-01-07');
    expect(dayOutsideQuietPeriods('2027-12-23', [CHRISTMAS])).toBe('2027-12-23');
    expect(dayOutsideQuietPeriods('2028-01-07', [CHRISTMAS])).toBe('2028-01-07');
  });

  it('leaves touching periods in one move, and ends a 02-29 period on 02-28 in other years', () => {
    const both = [JULY, { start: '08-01', end: '08-07' }];
    expect(dayOutsideQuietPeriods('2027-07-20', both)).toBe('2027-08-08');
    const leap = [{ start: '02-20', end: '02-29' }];
    expect(dayOutsideQuietPeriods('2028-02-25', leap)).toBe('2028-03-01');
    expect(dayOutsideQuietPeriods('2027-02-25', leap)).toBe('2027-03-01');
  });

  it("says when mail due in a period may go: midnight after it, in the organization's zone", () => {
    // 10:00 on 15 July in Helsinki (UTC+3): waits until 1 August 00:00 local, 31 July 21:00 UTC.
    expect(
      quietPeriodEndsAt(new Date('2027-07-15T07:00:00Z'), 'Europe/Helsinki', [JULY])?.toISOString(),
    ).toBe('2027-07-31T21:00:00.000Z');
    // 23:30 UTC on 30 June is already 1 July in Helsinki.
    expect(quietPeriodEndsAt(new Date('2027-06-30T23:30:00Z'), 'Europe/Helsinki', [JULY])).not.toBeNull();
    expect(quietPeriodEndsAt(new Date('2027-06-30T20:30:00Z'), 'Europe/Helsinki', [JULY])).toBeNull();
    expect(quietPeriodEndsAt(new Date('2027-07-15T07:00:00Z'), 'Europe/Helsinki', [])).toBeNull();
  });

  it('sends one of the steps of a kind that pile up after a period: the latest', () => {
    const step = (key: string, kind: string, template: string, stepDate: string, quarterId = 'q1') => ({
      key,
      kind,
      template,
      stepDate,
      quarterId,
    });
    const steps = [
      step('checkin-w1', 'checkin_request', 'checkin-request', '2027-06-28'),
      step('checkin-w2', 'checkin_request', 'checkin-request', '2027-07-05'),
      step('checkin-w3', 'checkin_request', 'checkin-request', '2027-07-12'),
      step('checkin-w6', 'checkin_request', 'checkin-request', '2027-08-02'),
      step('midquarter', 'prompt', 'prompt-midquarter', '2027-07-20'),
      step('kickoff', 'prompt', 'prompt-kickoff', '2027-07-01'),
      // Another quarter's check-in on the same days is its own.
      step('checkin-w2', 'checkin_request', 'checkin-request', '2027-07-05', 'q2'),
    ];
    const shifted = shiftOutOfQuietPeriods(steps, () => [JULY]);
    expect(
      shifted.map(({ step: s, sendsOn, moved, supersededBy }) => [
        s.quarterId,
        s.key,
        sendsOn,
        moved,
        supersededBy?.key ?? null,
      ]),
    ).toEqual([
      ['q1', 'checkin-w1', '2027-06-28', false, null],
      ['q1', 'checkin-w2', '2027-08-01', true, 'checkin-w3'],
      ['q1', 'checkin-w3', '2027-08-01', true, null],
      ['q1', 'checkin-w6', '2027-08-02', false, null],
      // Different templates of one kind both go: a kickoff is not a mid-quarter prompt.
      ['q1', 'midquarter', '2027-08-01', true, null],
      ['q1', 'kickoff', '2027-08-01', true, null],
      ['q2', 'checkin-w2', '2027-08-01', true, null],
    ]);
    expect(QUIET_PERIOD_SKIP).toBe('quiet period');
  });
});
