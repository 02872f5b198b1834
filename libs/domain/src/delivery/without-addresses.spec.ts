import { withoutAddresses } from './delivery.service';

describe('withoutAddresses', () => {
  it('takes every address out of a server refusal and keeps the reason', () => {
    const refusal =
      '550 5.1.1 <mia.jones@example.com>: Recipient address rejected; user åsa+okr@kela.fi unknown';
    const logged = withoutAddresses(refusal);
    expect(logged).toBe('550 5.1.1 <[address]>: Recipient address rejected; user [address] unknown');
    expect(logged).not.toMatch(/mia\.jones|åsa/);
  });

  it('leaves a text without addresses as it is', () => {
    expect(withoutAddresses('421 4.7.0 Try again later')).toBe('421 4.7.0 Try again later');
  });
});
