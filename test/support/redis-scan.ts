import IORedis from 'ioredis';
import { redisConnection } from '@luotsi/queue';

/** One key of a test's queue prefix whose name or value holds a searched text. */
export interface RedisHit {
  key: string;
  type: string;
  needle: string;
}

/** Every string a key holds, whatever its type: hash fields and values, list, set, zset and stream entries. */
async function valuesOf(redis: IORedis, key: string, type: string): Promise<string[]> {
  switch (type) {
    case 'string':
      return [(await redis.get(key)) ?? ''];
    case 'hash':
      return Object.entries(await redis.hgetall(key)).flat();
    case 'list':
      return redis.lrange(key, 0, -1);
    case 'set':
      return redis.smembers(key);
    case 'zset':
      return redis.zrange(key, 0, -1);
    case 'stream':
      return (await redis.xrange(key, '-', '+')).flatMap(([id, fields]) => [id, ...fields]);
    default:
      return [];
  }
}

/**
 * Scans every key under `prefix` (SCAN, not KEYS) and reads its whole value; returns each key whose
 * name or value contains one of `needles` (case-insensitive), with the needle found. `keys` counts
 * the keys read, so a caller can tell an empty search from one that looked at nothing.
 */
export async function scanRedis(
  redisUrl: string,
  prefix: string,
  needles: string[],
): Promise<{ hits: RedisHit[]; keys: number }> {
  const redis = new IORedis(redisConnection(redisUrl) as object);
  const lower = needles.filter(Boolean).map((n) => n.toLowerCase());
  const hits: RedisHit[] = [];
  let keys = 0;
  try {
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      for (const key of batch) {
        keys++;
        const type = await redis.type(key);
        const text = [key, ...(await valuesOf(redis, key, type))].join('\n').toLowerCase();
        for (const needle of lower) if (text.includes(needle)) hits.push({ key, type, needle });
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return { hits, keys };
}
