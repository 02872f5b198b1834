/** Takes up to `wanted` mails from a workspace's quota for `day` with the given limit; how many it got. */
export type TakeMany = (workspaceId: string, day: string, limit: number, wanted: number) => Promise<number>;

interface Waiter {
  limit: number;
  resolve: (taken: boolean) => void;
  reject: (error: unknown) => void;
}

/**
 * Takes participant mails from their workspace's daily send quota for one process's concurrent sends,
 * a batch at a time. The quota is one row per workspace that every send of the workspace writes; one
 * statement per mail queues every send behind the last one's commit. Here the sends that ask while a
 * statement is in flight wait for it, then go together in the next one, which takes as many as they are
 * (or as many as are left): each mail is still counted once, and never more than the limit are taken.
 */
export class QuotaTakes {
  private readonly waiting = new Map<string, Waiter[]>();
  private readonly inFlight = new Set<string>();

  constructor(private readonly takeMany: TakeMany) {}

  /** True when the mail was taken from the quota; false when the day's quota is used up. */
  take(workspaceId: string, day: string, limit: number): Promise<boolean> {
    if (limit <= 0) return Promise.resolve(false);
    const key = `${workspaceId}|${day}`;
    return new Promise<boolean>((resolve, reject) => {
      const queue = this.waiting.get(key) ?? [];
      queue.push({ limit, resolve, reject });
      this.waiting.set(key, queue);
      if (!this.inFlight.has(key)) void this.flush(key, workspaceId, day);
    });
  }

  private async flush(key: string, workspaceId: string, day: string): Promise<void> {
    const batch = this.waiting.get(key);
    this.waiting.delete(key);
    if (!batch?.length) return;
    this.inFlight.add(key);
    try {
      // The sends read the limit with their claims; the lowest of them is the safe one.
      const limit = Math.min(...batch.map((waiter) => waiter.limit));
      const taken = await this.takeMany(workspaceId, day, limit, batch.length);
      batch.forEach((waiter, i) => waiter.resolve(i < taken));
    } catch (error) {
      // Nothing was taken: each send fails as one statement of its own would have, and is retried.
      for (const waiter of batch) waiter.reject(error);
    } finally {
      this.inFlight.delete(key);
      if (this.waiting.has(key)) void this.flush(key, workspaceId, day);
    }
  }
}
