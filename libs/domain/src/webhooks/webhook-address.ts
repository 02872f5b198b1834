import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * IPv6 prefixes whose last 32 bits are an IPv4 address a packet can end up at: IPv4-mapped
 * (::ffff:0:0/96), IPv4-compatible (::/96, deprecated but still routed by some stacks), IPv4-translated
 * (::ffff:0:0:0/96) and NAT64 (64:ff9b::/96 well-known, 64:ff9b:1::/48 local-use). The embedded address
 * is what is judged, so `::ffff:10.0.0.1` is as private as `10.0.0.1`.
 */
const EMBEDDED_IPV4: [ipaddr.IPv6, number][] = [
  ['::ffff:0:0', 96],
  ['::', 96],
  ['::ffff:0:0:0', 96],
  ['64:ff9b::', 96],
  ['64:ff9b:1::', 48],
].map(([prefix, bits]) => [ipaddr.IPv6.parse(prefix as string), bits as number]);

/** Global unicast: everything else (unique local, link-local, multicast, unassigned space) is refused. */
const GLOBAL_UNICAST_V6: [ipaddr.IPv6, number] = [ipaddr.IPv6.parse('2000::'), 3];

/**
 * Why a webhook may not connect to this IP address, or null when it may. Only ordinary public unicast
 * passes: loopback, private (10/8, 172.16/12, 192.168/16), carrier-grade NAT (100.64/10, where some
 * clouds keep metadata services), link-local (169.254/16, the cloud metadata address 169.254.169.254;
 * fe80::/10), unique local (fc00::/7), multicast, broadcast, unspecified, documentation, benchmarking
 * and reserved ranges are all refused, in IPv4 and IPv6, including IPv4 inside IPv6.
 */
export function blockedAddressReason(address: string): string | null {
  const literal = address.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  if (!isIP(literal)) return 'not an IP address';
  const parsed = ipaddr.parse(literal);
  if (parsed.kind() === 'ipv4') return ipv4Reason(parsed as ipaddr.IPv4);
  const v6 = parsed as ipaddr.IPv6;
  const range = v6.range();
  if (range === 'loopback' || range === 'unspecified') return range;
  for (const [prefix, bits] of EMBEDDED_IPV4)
    if (v6.match(prefix, bits)) return ipv4Reason(new ipaddr.IPv4(v6.toByteArray().slice(12)));
  if (range !== 'unicast') return describe(range);
  if (!v6.match(...GLOBAL_UNICAST_V6)) return 'reserved';
  return null;
}

function ipv4Reason(v4: ipaddr.IPv4): string | null {
  const range = v4.range();
  if (range !== 'unicast') return describe(range);
  // ipaddr.js leaves these as unicast; none is a public receiver.
  for (const [cidr, reason] of IPV4_EXTRA)
    if (v4.match(...(ipaddr.parseCIDR(cidr) as [ipaddr.IPv4, number]))) return reason;
  return null;
}

const IPV4_EXTRA: [string, string][] = [
  ['0.0.0.0/8', 'unspecified'],
  ['192.0.0.0/24', 'reserved'],
  ['192.0.2.0/24', 'reserved'],
  ['198.51.100.0/24', 'reserved'],
  ['203.0.113.0/24', 'reserved'],
  ['198.18.0.0/15', 'reserved'],
  ['240.0.0.0/4', 'reserved'],
];

const NAMES: Record<string, string> = {
  carrierGradeNat: 'carrier-grade NAT',
  linkLocal: 'link-local',
  uniqueLocal: 'private',
  private: 'private',
};

const describe = (range: string): string => NAMES[range] ?? (range === 'unicast' ? 'reserved' : range);
