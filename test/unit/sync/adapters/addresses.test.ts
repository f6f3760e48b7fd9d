// The address policy of the URL guard: every IPv6 form that carries an IPv4 address is judged by that
// address (mapped, translated, compatible, NAT64 well-known and local, 6to4, Teredo), and the ranges
// come from ipaddr.js's classification.
import { describe, expect, it } from 'vitest';
import { blockedBecause } from '@/server/sync/http/addresses';

describe('blockedBecause', () => {
  it.each([
    // IPv4-compatible (::a.b.c.d), in both spellings.
    ['::127.0.0.1', 'a loopback address'],
    ['::7f00:1', 'a loopback address'],
    ['::10.1.2.3', 'a private network address'],
    ['::169.254.169.254', 'the cloud metadata service'],
    // IPv4-mapped and IPv4-translated.
    ['::ffff:192.168.0.1', 'a private network address'],
    ['::ffff:0:10.0.0.1', 'a private network address'],
    // NAT64: the well-known prefix and the local-use /48 (in its /96 form).
    ['64:ff9b::a00:1', 'a private network address'],
    ['64:ff9b::a9fe:a9fe', 'the cloud metadata service'],
    ['64:ff9b:1::7f00:1', 'a loopback address'],
    ['64:ff9b:1::c0a8:101', 'a private network address'],
    // 6to4 carries its IPv4 address in bits 16–47.
    ['2002:a00:1::', 'a private network address'],
    ['2002:7f00:1::1', 'a loopback address'],
    // Teredo: 2001:0:<server>:<flags>:<port>:<client XOR ffff:ffff>; a private client (10.0.0.1).
    ['2001:0:5ef5:79fb:0:0:f5ff:fffe', 'a private network address'],
    // … or a private Teredo server.
    ['2001:0:a00:1:0:0:a3f2:6a09', 'a private network address'],
  ])('refuses %s as %s', (address, why) => {
    expect(blockedBecause(address)).toBe(why);
  });

  it('refuses a local NAT64 address whose IPv4 part is not where the /96 form puts it', () => {
    expect(blockedBecause('64:ff9b:1:a00:1::')).toBe('a local NAT64 address whose IPv4 part cannot be read');
  });

  it.each([
    ['93.184.216.34'],
    ['2606:2800:220:1::'],
    ['::ffff:93.184.216.34'],
    ['::93.184.216.34'],
    ['64:ff9b::5db8:d822'],
    ['64:ff9b:1::5db8:d822'],
    ['2002:5db8:d822::1'],
    // Teredo with a public server (94.245.121.251) and a public client (93.184.216.34).
    ['2001:0:5ef5:79fb:0:0:a247:27dd'],
  ])('lets the public address %s through', (address) => {
    expect(blockedBecause(address)).toBeUndefined();
  });

  it('keeps the plain ranges, the unspecified addresses and the metadata service', () => {
    expect(blockedBecause('::')).toBe('a reserved address');
    expect(blockedBecause('::1')).toBe('a loopback address');
    expect(blockedBecause('0.0.0.0')).toBe('a reserved address');
    expect(blockedBecause('255.255.255.255')).toBe('a reserved address');
    expect(blockedBecause('100::1')).toBe('a reserved address');
    expect(blockedBecause('fec0::1')).toBe('a private network address');
    expect(blockedBecause('fe80::1%eth0')).toBe('a link-local address');
    expect(blockedBecause('FD00:EC2:0::254')).toBe('the cloud metadata service');
    expect(blockedBecause('169.254.169.254')).toBe('the cloud metadata service');
    expect(blockedBecause('not an address')).toBe('not an IP address');
  });
});
