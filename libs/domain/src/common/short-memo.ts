import { LRUCache } from 'lru-cache';

/**
 * Remembers a read for a few seconds, by key, in this process: for facts that a fan-out's every mail
 * would otherwise read again, though they were settled long before it (a quarter's lessons, whether it
 * was planned in dialogue). Concurrent reads of one key share the first one's answer; a failed read is
 * forgotten at once, so the next caller reads again.
 */
export class ShortMemo<V> {
  private readonly cache: LRUCache<string, { value: Promise<V> }>;

  constructor(ttlMs = 10_000, max = 1000) {
    this.cache = new LRUCache({ max, ttl: ttlMs });
  }

  get(key: string, read: () => Promise<V>): Promise<V> {
    const hit = this.cache.get(key);
    if (hit) return hit.value;
    const value = read();
    this.cache.set(key, { value });
    value.catch(() => this.cache.delete(key));
    return value;
  }
}
