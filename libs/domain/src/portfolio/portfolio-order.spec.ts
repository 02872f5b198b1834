import { attentionOf, comparePortfolio, type Attention } from './portfolio-order';

const row = (name: string, patch: Partial<Attention> = {}): Attention => ({
  organization: { name: 'Org' },
  pilot: { id: name, name },
  failedDeliveries: 0,
  flags: [],
  reports: { due: [] },
  responseRate: { rate: 0.9 },
  checkInRhythm: { share: 0.9 },
  ...patch,
});
const flag = { code: 'low_response_rate' as const, message: '', numbers: {} };

describe('the portfolio order', () => {
  it('puts failed deliveries first, then flags, reports due, low rates, then names', () => {
    const rows = [
      row('calm b'),
      row('low rhythm', { checkInRhythm: { share: 0.7 } }),
      row('due', { reports: { due: [{}] } }),
      row('calm a'),
      row('flagged', { flags: [flag] }),
      row('failing', { failedDeliveries: 1 }),
      row('very low', { responseRate: { rate: 0.1 } }),
      row('two low', { responseRate: { rate: 0.4 }, checkInRhythm: { share: 0.7 } }),
      row('failing more', { failedDeliveries: 3 }),
    ];
    expect(rows.sort(comparePortfolio).map((r) => r.pilot.name)).toEqual([
      'failing more',
      'failing',
      'flagged',
      'due',
      'two low',
      'very low',
      'low rhythm',
      'calm a',
      'calm b',
    ]);
  });

  it('names why, and nothing for unknown rates', () => {
    expect(attentionOf(row('x', { responseRate: null, checkInRhythm: { share: null } }))).toEqual([]);
    expect(
      attentionOf(row('x', { failedDeliveries: 2, flags: [flag], responseRate: { rate: 0.49 } })),
    ).toEqual(['failed_deliveries', 'flags', 'low_response_rate']);
  });
});
