import { InvalidInputError } from '../common/errors';
import { nextUtcDay, utcDay } from './delivery.service';
import { SendQuotaService } from './send-quota.service';

describe('send quota', () => {
  it('counts by the UTC day, whatever the time zone of the moment', () => {
    expect(utcDay(new Date('2027-03-10T23:59:59.999Z'))).toBe('2027-03-10');
    expect(utcDay(new Date('2027-03-11T00:30:00+02:00'))).toBe('2027-03-10');
    expect(nextUtcDay(new Date('2027-03-10T09:00:00Z'))).toEqual(new Date('2027-03-11T00:00:00Z'));
    // Month and year ends roll over.
    expect(nextUtcDay(new Date('2027-02-28T23:00:00Z'))).toEqual(new Date('2027-03-01T00:00:00Z'));
    expect(nextUtcDay(new Date('2027-12-31T12:00:00Z'))).toEqual(new Date('2028-01-01T00:00:00Z'));
  });

  it('refuses a quota that is not a whole number from 0 to 10,000,000 (or null), naming `daily`', async () => {
    // Refused before anything is read or written: no store is needed.
    const service = new SendQuotaService(
      null as never,
      null as never,
      null as never,
      null as never,
      null as never,
    );
    for (const daily of [-1, 2.5, 10_000_001, '5', undefined, NaN, [5]]) {
      const refused = await service.setDaily('ws', daily).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(InvalidInputError);
      expect((refused as InvalidInputError).issues.map((i) => i.field)).toEqual(['daily']);
    }
  });
});
