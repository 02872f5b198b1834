import ipaddr from 'ipaddr.js';

/** The names Express (proxy-addr) knows for address ranges. */
const RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const MAX_HOPS = 10;

/** Express's `trust proxy`: hops, trusted proxies, or none. */
export type TrustProxy = number | string[] | false;

/**
 * `TRUST_PROXY` as Express's `trust proxy` takes it: a hop count, a list of addresses, CIDR ranges and
 * range names, or false. `true` (trust every hop) is refused: any client could then name its own address
 * and escape its rate limit; a hop count says the same for a known chain of proxies.
 */
export function parseTrustProxy(value: string): { trust: TrustProxy } | { problem: string } {
  const trimmed = value.trim();
  if (trimmed === 'false' || trimmed === 'none') return { trust: false };
  if (trimmed === 'true')
    return { problem: 'true would trust every hop; give the number of proxies in front instead' };
  if (/^\d+$/.test(trimmed)) {
    const hops = Number(trimmed);
    return hops <= MAX_HOPS ? { trust: hops } : { problem: `at most ${MAX_HOPS} hops` };
  }
  const entries = trimmed
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  if (!entries.length) return { problem: 'a hop count, a list of addresses or ranges, or false' };
  const wrong = entries.find((entry) => !RANGE_NAMES.has(entry) && !isAddressOrRange(entry));
  if (wrong !== undefined)
    return { problem: `"${wrong}" is not an address, a CIDR range or one of ${[...RANGE_NAMES].join(', ')}` };
  return { trust: entries };
}

function isAddressOrRange(entry: string): boolean {
  if (!entry.includes('/')) return ipaddr.isValid(entry);
  try {
    ipaddr.parseCIDR(entry);
    return true;
  } catch {
    return false;
  }
}
