// Which IP addresses a sync may not call: private, loopback, link-local, shared (CGNAT), multicast,
// reserved, and the cloud metadata service. The ranges are ipaddr.js's classification (kept up to date
// with the IANA registries); IPv6 forms that carry an IPv4 address are judged by that address.
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

const METADATA = new Set(['169.254.169.254', 'fd00:ec2::254']);

const LOOPBACK = 'a loopback address';
const PRIVATE = 'a private network address';
const LINK_LOCAL = 'a link-local address';
const SHARED = 'a shared (carrier-grade NAT) address';
const MULTICAST = 'a multicast address';
const RESERVED = 'a reserved address';

// ipaddr.js range names → the reason a person reads. Names not listed are public (unicast, anycast).
const REASONS: Readonly<Record<string, string>> = {
  loopback: LOOPBACK,
  private: PRIVATE,
  uniqueLocal: PRIVATE,
  deprecatedSiteLocal: PRIVATE,
  linkLocal: LINK_LOCAL,
  carrierGradeNat: SHARED,
  multicast: MULTICAST,
  unspecified: RESERVED,
  broadcast: RESERVED,
  reserved: RESERVED,
  discard: RESERVED,
  benchmarking: RESERVED,
  deprecatedOrchid: RESERVED,
  orchid2: RESERVED,
  droneRemoteIdProtocolEntityTags: RESERVED,
  segmentRouting: RESERVED,
};

/** Why `ip` may not be called (e.g. "a loopback address"), or undefined for a public address. */
export function blockedBecause(ip: string): string | undefined {
  if (isIP(ip) === 0) return 'not an IP address';
  const address = ipaddr.parse(ip);
  const canonical =
    address.kind() === 'ipv4' ? address.toString() : (address as ipaddr.IPv6).toRFC5952String();
  if (METADATA.has(canonical)) return 'the cloud metadata service';
  if (address.kind() === 'ipv4') return REASONS[address.range()];
  const v6 = address as ipaddr.IPv6;
  const embedded = embeddedIpv4(v6);
  if (embedded === 'unreadable') return 'a local NAT64 address whose IPv4 part cannot be read';
  // Every IPv4 address a packet to this address may reach (Teredo has two) must be allowed.
  if (embedded) return embedded.map((v4) => blockedBecause(v4)).find(Boolean);
  return REASONS[v6.range()];
}

/**
 * The IPv4 addresses inside an IPv6 address that carries them: IPv4-mapped (::ffff:a.b.c.d),
 * IPv4-translated (::ffff:0:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96 and the local
 * 64:ff9b:1::/48), 6to4 (2002::/16) and Teredo (2001::/32: server and client). `unreadable` for a local
 * NAT64 address not in the /96 form, whose IPv4 part cannot be located with certainty.
 */
export function embeddedIpv4(address: ipaddr.IPv6): string[] | 'unreadable' | undefined {
  const p = address.parts as [number, number, number, number, number, number, number, number];
  const v4 = (high: number, low: number) => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  const last = () => [v4(p[6], p[7])];
  switch (address.range()) {
    case 'ipv4Mapped':
    case 'rfc6145':
      return last();
    case 'rfc6052':
      // 64:ff9b::/96 has the address in its last 32 bits; in 64:ff9b:1::/48 only the /96 form is readable.
      return p[3] === 0 && p[4] === 0 && p[5] === 0 ? last() : 'unreadable';
    case '6to4':
      return [v4(p[1], p[2])];
    case 'teredo':
      // 2001:0:<server>:<flags>:<port ^ ffff>:<client ^ ffffffff>
      return [v4(p[2], p[3]), v4(p[6] ^ 0xffff, p[7] ^ 0xffff)];
    default:
      break;
  }
  // IPv4-compatible (deprecated, ::/96), except :: and ::1 which keep their own meaning.
  if (p.slice(0, 6).every((g) => g === 0) && (p[6] !== 0 || p[7] > 1)) return last();
  return undefined;
}
