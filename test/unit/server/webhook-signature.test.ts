// The webhook signature scheme as the README documents it, and the retry backoff.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { defaultBackoffMs, MAX_ATTEMPTS } from '@/server/services/notifications/deliver';
import {
  newWebhookSecret,
  signatureHeader,
  verifySignature,
} from '@/server/services/notifications/signature';

describe('webhook signature', () => {
  const secret = 'whsec_test-secret';
  const body = '{"event":"run.failed"}';

  it('is t=<seconds>,v1=HMAC-SHA256(secret, "<t>.<body>") in hex', () => {
    const expected = createHmac('sha256', secret).update(`1700000000.${body}`).digest('hex');
    expect(signatureHeader(secret, body, 1_700_000_000)).toBe(`t=1700000000,v1=${expected}`);
  });

  it('verifies with the secret, and refuses another secret, another body, an old or a missing signature', () => {
    const header = signatureHeader(secret, body, 1_700_000_000);
    expect(verifySignature(header, body, secret, 1_700_000_100)).toBe(true);
    expect(verifySignature(header, body, 'whsec_other', 1_700_000_100)).toBe(false);
    expect(verifySignature(header, `${body} `, secret, 1_700_000_100)).toBe(false);
    expect(verifySignature(header, body, secret, 1_700_000_000 + 301)).toBe(false);
    expect(verifySignature('t=1700000000', body, secret, 1_700_000_000)).toBe(false);
    expect(verifySignature('v1=abc,t=x', body, secret, 1_700_000_000)).toBe(false);
    // A receiver accepts any of several v1 values (as during a secret's rotation).
    const both = `${header},v1=${'0'.repeat(64)}`;
    expect(verifySignature(both, body, secret, 1_700_000_000)).toBe(true);
  });

  it('generates a fresh secret each time', () => {
    const a = newWebhookSecret();
    expect(a).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(newWebhookSecret()).not.toBe(a);
  });
});

describe('delivery backoff', () => {
  it('waits 30 s after the first failure, then doubles, capped at 6 hours', () => {
    expect([1, 2, 3, 4].map(defaultBackoffMs)).toEqual([30_000, 60_000, 120_000, 240_000]);
    expect(defaultBackoffMs(20)).toBe(6 * 3_600_000);
    const total = Array.from({ length: MAX_ATTEMPTS - 1 }, (_, i) => defaultBackoffMs(i + 1)).reduce(
      (a, b) => a + b,
    );
    // "about four hours" in the README and the settings page.
    expect(total / 3_600_000).toBeCloseTo(4.26, 1);
  });
});
