// proxy.ts: a fresh nonce per page request, handed to Next's rendering in the request's CSP header and
// sent back in the response's; HSTS only when Concord is served over https.
import { NextRequest } from 'next/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { proxy } from '@/proxy';

afterEach(() => vi.unstubAllEnvs());

const run = (url: string) => proxy(new NextRequest(url));

describe('proxy', () => {
  it('gives each page its own nonce, the same to the browser and to Next’s rendering', () => {
    const first = run('http://127.0.0.1:3000/sign-in');
    const second = run('http://127.0.0.1:3000/sign-in');
    const csp = first.headers.get('content-security-policy')!;
    expect(csp).toMatch(/'nonce-[A-Za-z0-9+/]{22}=='/);
    expect(first.headers.get('x-middleware-request-content-security-policy')).toBe(csp);
    expect(second.headers.get('content-security-policy')).not.toBe(csp);
    expect(first.headers.get('x-frame-options')).toBe('DENY');
  });

  it('sends HSTS and upgrades requests only over https', () => {
    vi.stubEnv('NEXTAUTH_URL', 'http://127.0.0.1:3000');
    const plain = run('http://127.0.0.1:3000/');
    expect(plain.headers.get('strict-transport-security')).toBeNull();
    expect(plain.headers.get('content-security-policy')).not.toContain('upgrade-insecure-requests');

    expect(run('https://concord.example/').headers.get('strict-transport-security')).toBe(
      'max-age=63072000; includeSubDomains',
    );
    // Behind a TLS proxy the request arrives over http; the public URL says https.
    vi.stubEnv('NEXTAUTH_URL', 'https://concord.example');
    const proxied = run('http://10.0.0.5:3000/');
    expect(proxied.headers.get('strict-transport-security')).toBe('max-age=63072000; includeSubDomains');
    expect(proxied.headers.get('content-security-policy')).toContain('upgrade-insecure-requests');
  });
});
