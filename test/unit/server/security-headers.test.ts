// The security headers: a page's CSP allows scripts only with its nonce (plus eval in development, for
// React's tooling), forbids framing and plugins, upgrades requests and sends HSTS only over https.
import { describe, expect, it } from 'vitest';
import { API_POLICY, commonHeaders, pagePolicy } from '@/server/security/headers';

const directives = (policy: string) =>
  new Map(policy.split('; ').map((d) => [d.split(' ')[0]!, d.split(' ').slice(1).join(' ')]));

describe('pagePolicy', () => {
  it('lets only scripts with this request’s nonce run in production', () => {
    const policy = directives(pagePolicy({ nonce: 'abc123', dev: false, https: false }));
    expect(policy.get('script-src')).toBe("'self' 'nonce-abc123' 'strict-dynamic'");
    expect(policy.get('style-src')).toBe("'self' 'nonce-abc123'");
    expect(policy.get('default-src')).toBe("'self'");
    expect(policy.get('object-src')).toBe("'none'");
    expect(policy.get('frame-ancestors')).toBe("'none'");
    expect(policy.get('base-uri')).toBe("'none'");
    expect(policy.get('form-action')).toBe("'self'");
    expect(policy.has('upgrade-insecure-requests')).toBe(false);
  });

  it('adds eval and inline styles in development only, and upgrades requests over https', () => {
    const dev = directives(pagePolicy({ nonce: 'n', dev: true, https: false }));
    expect(dev.get('script-src')).toContain("'unsafe-eval'");
    expect(dev.get('style-src')).toBe("'self' 'unsafe-inline'");
    expect(
      directives(pagePolicy({ nonce: 'n', dev: false, https: true })).has('upgrade-insecure-requests'),
    ).toBe(true);
  });
});

describe('commonHeaders', () => {
  it('forbids framing and sniffing, keeps the referrer on this site, and sends HSTS only over https', () => {
    expect(commonHeaders({ https: false })).toMatchObject({
      'X-Frame-Options': 'DENY',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'same-origin',
    });
    expect(commonHeaders({ https: false })).not.toHaveProperty('Strict-Transport-Security');
    expect(commonHeaders({ https: true })['Strict-Transport-Security']).toBe(
      'max-age=63072000; includeSubDomains',
    );
  });

  it('gives API answers a policy under which nothing loads', () => {
    expect(directives(API_POLICY).get('default-src')).toBe("'none'");
    expect(directives(API_POLICY).get('frame-ancestors')).toBe("'none'");
  });
});
