// The client address sign-in throttling counts by: the last X-Forwarded-For entry (which `npm start`
// appends from the socket) unless it is a trusted proxy, then the next one to its left, and so on.
import { describe, expect, it } from 'vitest';
import { clientAddress, parseTrustedProxies, type TrustedProxies } from '@/server/auth/client-address';
import { parseEnv } from '@/server/env';

const proxies = (value: string) => parseTrustedProxies(value) as TrustedProxies;
const none = proxies('');

describe('clientAddress', () => {
  it('believes only the last entry when no proxy is trusted: the rest is what the client sent', () => {
    expect(clientAddress('203.0.113.9', none)).toBe('203.0.113.9');
    expect(clientAddress('1.2.3.4, 5.6.7.8, 203.0.113.9', none)).toBe('203.0.113.9');
  });

  it('walks left past trusted proxies, and no further than the first untrusted entry', () => {
    const trusted = proxies('10.0.0.0/8, 192.0.2.7');
    expect(clientAddress('203.0.113.9, 10.1.2.3', trusted)).toBe('203.0.113.9');
    expect(clientAddress('203.0.113.9, 192.0.2.7, 10.1.2.3', trusted)).toBe('203.0.113.9');
    // A client that invents an earlier hop does not change who it is.
    expect(clientAddress('8.8.8.8, 203.0.113.9, 10.1.2.3', trusted)).toBe('203.0.113.9');
    // Only proxies in the chain: the first one is the closest thing to a client.
    expect(clientAddress('10.0.0.1, 10.0.0.2', trusted)).toBe('10.0.0.1');
  });

  it('counts IPv6 clients by their /64 and IPv4-mapped ones as IPv4', () => {
    expect(clientAddress('2001:db8:1:2:aaaa::1', none)).toBe('2001:db8:1:2::/64');
    expect(clientAddress('2001:db8:1:2:bbbb::9', none)).toBe('2001:db8:1:2::/64');
    expect(clientAddress('::ffff:203.0.113.9', none)).toBe('203.0.113.9');
  });

  it('reads entries with ports, and answers unknown for a missing or unreadable header', () => {
    expect(clientAddress('203.0.113.9:51234', none)).toBe('203.0.113.9');
    expect(clientAddress('[2001:db8::1]:443', none)).toBe('2001:db8::/64');
    expect(clientAddress(undefined, none)).toBe('unknown');
    expect(clientAddress('', none)).toBe('unknown');
    expect(clientAddress('evil, nonsense', none)).toBe('unknown');
  });
});

describe('CONCORD_TRUSTED_PROXIES', () => {
  it('takes addresses and ranges, and names a bad entry', () => {
    expect(
      parseEnv({ CONCORD_TRUSTED_PROXIES: '10.0.0.0/8 fd00::/8,192.0.2.7' }).CONCORD_TRUSTED_PROXIES,
    ).toHaveLength(3);
    expect(parseEnv({}).CONCORD_TRUSTED_PROXIES).toEqual([]);
    expect(() => parseEnv({ CONCORD_TRUSTED_PROXIES: '10.0.0.0/8, my-proxy' })).toThrow(
      /CONCORD_TRUSTED_PROXIES "my-proxy" is not an IP address or range/,
    );
  });
});
