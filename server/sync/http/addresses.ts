// Which IP addresses a sync may not call: private, loopback, link-local, shared (CGNAT), multicast,
// reserved, and the cloud metadata service. IPv6 forms that embed an IPv4 address are judged by it.
import { BlockList, isIP } from 'node:net';

const METADATA = new Set(['169.254.169.254', 'fd00:ec2::254']);

// Ordered: the first matching range names the reason a person reads.
const RANGES: ReadonlyArray<readonly [label: string, ranges: ReadonlyArray<readonly [string, number]>]> = [
  [
    'a loopback address',
    [
      ['127.0.0.0', 8],
      ['::1', 128],
    ],
  ],
  [
    'a private network address',
    [
      ['10.0.0.0', 8],
      ['172.16.0.0', 12],
      ['192.168.0.0', 16],
      ['fc00::', 7],
      ['fec0::', 10],
    ],
  ],
  [
    'a link-local address',
    [
      ['169.254.0.0', 16],
      ['fe80::', 10],
    ],
  ],
  ['a shared (carrier-grade NAT) address', [['100.64.0.0', 10]]],
  [
    'a multicast address',
    [
      ['224.0.0.0', 4],
      ['ff00::', 8],
    ],
  ],
  [
    'a reserved address',
    [
      ['0.0.0.0', 8],
      ['192.0.0.0', 24],
      ['198.18.0.0', 15],
      ['240.0.0.0', 4],
      ['::', 128],
      ['100::', 64],
    ],
  ],
];

const LISTS = RANGES.map(([label, ranges]) => {
  const list = new BlockList();
  for (const [network, prefix] of ranges)
    list.addSubnet(network, prefix, isIP(network) === 6 ? 'ipv6' : 'ipv4');
  return [label, list] as const;
});

/** Why `ip` may not be called (e.g. "a loopback address"), or undefined for a public address. */
export function blockedBecause(ip: string): string | undefined {
  const family = isIP(ip);
  if (family === 0) return 'not an IP address';
  if (METADATA.has(ip.toLowerCase())) return 'the cloud metadata service';
  const embedded = family === 6 ? embeddedIpv4(ip) : undefined;
  if (embedded) return blockedBecause(embedded);
  const type = family === 6 ? 'ipv6' : 'ipv4';
  return LISTS.find(([, list]) => list.check(ip, type))?.[0];
}

/** The IPv4 address inside an IPv4-mapped (::ffff:0:0/96), NAT64 (64:ff9b::/96) or 6to4 (2002::/16) address. */
export function embeddedIpv4(ip: string): string | undefined {
  const groups = expandIpv6(ip);
  if (!groups) return undefined;
  const dotted = (high: number, low: number) => `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  const [g0, g1, g2, g3, g4, g5, g6, g7] = groups as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (!g0 && !g1 && !g2 && !g3 && !g4 && g5 === 0xffff) return dotted(g6, g7);
  if (g0 === 0x64 && g1 === 0xff9b && !g2 && !g3 && !g4 && !g5) return dotted(g6, g7);
  if (g0 === 0x2002) return dotted(g1, g2);
  return undefined;
}

// "2002:a00:1::" → eight 16-bit groups; a trailing dotted quad counts as the last two.
function expandIpv6(ip: string): number[] | undefined {
  let text = ip.toLowerCase().split('%')[0] ?? '';
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = '', tail] = text.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  if (missing < 0 || (tail === undefined && missing !== 0)) return undefined;
  const groups = [...left, ...Array<string>(missing).fill('0'), ...right].map((g) => parseInt(g, 16));
  return groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : undefined;
}
