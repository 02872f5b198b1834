import { quietUntil } from './nudge-hygiene';

describe('quiet hours', () => {
  const at = (iso: string) => new Date(iso);

  it('defers a send at 22:30 Helsinki time to 07:00 the next morning', () => {
    // 20:30 UTC is 22:30 in Helsinki (UTC+2 in winter).
    expect(quietUntil(at('2027-01-11T20:30:00Z'), 'Europe/Helsinki', '20:00', '07:00')?.toISOString()).toBe(
      '2027-01-12T05:00:00.000Z',
    );
  });

  it('defers a send at 05:00 local to 07:00 the same morning', () => {
    expect(quietUntil(at('2027-01-12T03:00:00Z'), 'Europe/Helsinki', '20:00', '07:00')?.toISOString()).toBe(
      '2027-01-12T05:00:00.000Z',
    );
  });

  it("lets a daytime send through, in the recipient's own zone", () => {
    expect(quietUntil(at('2027-01-12T07:00:00Z'), 'Europe/Helsinki', '20:00', '07:00')).toBeNull();
    // The same instant is 02:00 in New York: quiet there.
    expect(quietUntil(at('2027-01-12T07:00:00Z'), 'America/New_York', '20:00', '07:00')?.toISOString()).toBe(
      '2027-01-12T12:00:00.000Z',
    );
  });

  it('handles a window that does not wrap midnight, and an empty window', () => {
    expect(quietUntil(at('2027-01-12T11:30:00Z'), 'UTC', '11:00', '13:00')?.toISOString()).toBe(
      '2027-01-12T13:00:00.000Z',
    );
    expect(quietUntil(at('2027-01-12T11:30:00Z'), 'UTC', '09:00', '09:00')).toBeNull();
  });
});
