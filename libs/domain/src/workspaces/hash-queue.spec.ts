import { HashQueue, PasswordWorkBusyError } from './hash-queue';

describe('HashQueue', () => {
  /** Work that finishes when the test says so, recording how many run at once. */
  function gate() {
    let running = 0;
    let peak = 0;
    const releases: (() => void)[] = [];
    const work = () =>
      new Promise<number>((resolve) => {
        running++;
        peak = Math.max(peak, running);
        releases.push(() => {
          running--;
          resolve(peak);
        });
      });
    return { work, releaseOne: () => releases.shift()?.(), peak: () => peak, started: () => releases.length };
  }
  const tick = () => new Promise((resolve) => setImmediate(resolve));

  it('runs at most `concurrency` at once, queues up to the wait list and refuses the rest at once', async () => {
    const queue = new HashQueue(2, 3);
    const g = gate();
    const accepted = Array.from({ length: 5 }, () => queue.run(g.work));
    await expect(queue.run(g.work)).rejects.toBeInstanceOf(PasswordWorkBusyError);
    await tick();
    expect(g.started()).toBe(2);
    for (let i = 0; i < 5; i++) {
      g.releaseOne();
      await tick();
    }
    await Promise.all(accepted);
    expect(g.peak()).toBe(2);
    // Everything drained: the full capacity is free again.
    const again = Array.from({ length: 5 }, () => queue.run(g.work));
    await tick();
    expect(g.started()).toBe(2);
    for (let i = 0; i < 5; i++) {
      g.releaseOne();
      await tick();
    }
    await Promise.all(again);
  });

  it('frees the slot when the work fails', async () => {
    const queue = new HashQueue(1, 0);
    await expect(queue.run(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(queue.run(() => Promise.resolve('ok'))).resolves.toBe('ok');
  });
});
