import { QuotaTakes } from './quota-takes';

/** A quota kept in memory, answering after a turn of the event loop as a statement would. */
function fakeQuota() {
  const used = new Map<string, number>();
  const calls: number[] = [];
  let failNext = false;
  const takeMany = async (workspaceId: string, day: string, limit: number, wanted: number) => {
    calls.push(wanted);
    await new Promise((resolve) => setImmediate(resolve));
    if (failNext) {
      failNext = false;
      throw new Error('deadlock detected');
    }
    const key = `${workspaceId}|${day}`;
    const taken = Math.min(wanted, Math.max(limit - (used.get(key) ?? 0), 0));
    used.set(key, (used.get(key) ?? 0) + taken);
    return taken;
  };
  return { takeMany, used, calls, failOnce: () => (failNext = true) };
}

describe('quota takes', () => {
  it('takes concurrent sends together and never more than the limit', async () => {
    const quota = fakeQuota();
    const takes = new QuotaTakes(quota.takeMany);
    const answers = await Promise.all(Array.from({ length: 10 }, () => takes.take('ws', '2027-03-10', 4)));
    // The first send goes alone; the nine that asked meanwhile go in one statement.
    expect(quota.calls).toEqual([1, 9]);
    expect(answers.filter(Boolean)).toHaveLength(4);
    expect(answers.slice(0, 4)).toEqual([true, true, true, true]);
    expect(quota.used.get('ws|2027-03-10')).toBe(4);
  });

  it('keeps workspaces and days apart', async () => {
    const quota = fakeQuota();
    const takes = new QuotaTakes(quota.takeMany);
    const answers = await Promise.all([
      takes.take('a', '2027-03-10', 1),
      takes.take('b', '2027-03-10', 1),
      takes.take('a', '2027-03-11', 1),
      takes.take('a', '2027-03-10', 1),
    ]);
    expect(answers).toEqual([true, true, true, false]);
  });

  it('takes nothing at a limit of 0, without a statement', async () => {
    const quota = fakeQuota();
    await expect(new QuotaTakes(quota.takeMany).take('ws', '2027-03-10', 0)).resolves.toBe(false);
    expect(quota.calls).toEqual([]);
  });

  it('fails every send of a failed batch, and the next batch still goes', async () => {
    const quota = fakeQuota();
    const takes = new QuotaTakes(quota.takeMany);
    quota.failOnce();
    const first = takes.take('ws', '2027-03-10', 5);
    const [second, third] = [takes.take('ws', '2027-03-10', 5), takes.take('ws', '2027-03-10', 5)];
    await expect(first).rejects.toThrow('deadlock detected');
    await expect(Promise.all([second, third])).resolves.toEqual([true, true]);
    expect(quota.used.get('ws|2027-03-10')).toBe(2);
  });
});
