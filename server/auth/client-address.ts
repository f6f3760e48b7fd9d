// Who is calling, as an address to throttle by. `npm start` appends the connecting peer to
// X-Forwarded-For (server/cli/serve.mjs), so its last entry is one the client could not choose. Entries
// to its left are believed only while the entry to their right is a trusted proxy
// (CONCORD_TRUSTED_PROXIES): a client can put anything in the header it sends.
import ipaddr from 'ipaddr.js';

export type TrustedProxies = ReadonlyArray<readonly [ipaddr.IPv4 | ipaddr.IPv6, number]>;

/** Parses `10.0.0.0/8, 192.0.2.7, fd00::/8` (addresses or ranges); a message naming the bad entry. */
export function parseTrustedProxies(value: string): TrustedProxies | string {
  const ranges: Array<readonly [ipaddr.IPv4 | ipaddr.IPv6, number]> = [];
  for (const entry of value.split(/[\s,]+/).filter(Boolean)) {
    if (ipaddr.isValidCIDR(entry)) ranges.push(ipaddr.parseCIDR(entry));
    else if (ipaddr.isValid(entry)) {
      const address = ipaddr.process(entry);
      ranges.push([address, address.kind() === 'ipv4' ? 32 : 128]);
    } else return `"${entry}" is not an IP address or range (such as 10.0.0.0/8)`;
  }
  return ranges;
}

/**
 * The client's address from the X-Forwarded-For chain: the rightmost entry that is not a trusted proxy.
 * IPv6 addresses count by their /64, which one subscriber usually holds whole. `unknown` when the
 * header is missing (a caller outside an HTTP request) or unreadable.
 */
export function clientAddress(forwardedFor: string | null | undefined, trusted: TrustedProxies): string {
  const chain = (forwardedFor ?? '')
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (let i = chain.length - 1; i >= 0; i--) {
    const address = parse(chain[i]!);
    if (!address) return 'unknown';
    if (i > 0 && trusted.some((range) => matches(address, range))) continue;
    return keyOf(address);
  }
  return 'unknown';
}

// Proxies write `1.2.3.4`, sometimes with a port (`1.2.3.4:5678`, `[2001:db8::1]:443`).
function parse(entry: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  const bare = entry.replace(/^\[([^\]]+)\](?::\d+)?$/, '$1').replace(/^(\d+\.\d+\.\d+\.\d+):\d+$/, '$1');
  return ipaddr.isValid(bare) ? ipaddr.process(bare) : undefined;
}

function matches(address: ipaddr.IPv4 | ipaddr.IPv6, [range, bits]: TrustedProxies[number]) {
  return address.kind() === range.kind() && address.match(range, bits);
}

function keyOf(address: ipaddr.IPv4 | ipaddr.IPv6): string {
  if (address.kind() === 'ipv4') return address.toString();
  return `${ipaddr.IPv6.networkAddressFromCIDR(`${address.toString()}/64`).toRFC5952String()}/64`;
}
