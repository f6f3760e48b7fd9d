// The signature of an outgoing webhook, in Stripe's scheme: `Concord-Signature: t=<unix seconds>,v1=<hex>`
// where v1 is HMAC-SHA256, keyed with the endpoint's secret (the whole `whsec_…` string), over
// `<t>.<raw body>`. The timestamp inside the signed text lets a receiver refuse replays of old deliveries.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'Concord-Signature';
/** How old a signature a receiver should still accept (the verifier's default). */
export const SIGNATURE_TOLERANCE_S = 300;

export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

function hmac(secret: string, timestamp: number, body: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function signatureHeader(secret: string, body: string, timestamp: number): string {
  return `t=${timestamp},v1=${hmac(secret, timestamp, body)}`;
}

/** What a receiver does (README shows the same): true when the body was signed with `secret` lately. */
export function verifySignature(
  header: string | undefined,
  body: string,
  secret: string,
  now = Math.floor(Date.now() / 1000),
  toleranceS = SIGNATURE_TOLERANCE_S,
): boolean {
  if (!header) return false;
  const parts = new Map<string, string[]>();
  for (const part of header.split(',')) {
    const [key, value] = part.split('=', 2);
    if (!key || !value) continue;
    parts.set(key.trim(), [...(parts.get(key.trim()) ?? []), value.trim()]);
  }
  const t = Number(parts.get('t')?.[0]);
  if (!Number.isInteger(t) || Math.abs(now - t) > toleranceS) return false;
  const expected = Buffer.from(hmac(secret, t, body), 'hex');
  return (parts.get('v1') ?? []).some((v) => {
    const given = Buffer.from(v, 'hex');
    return given.length === expected.length && timingSafeEqual(given, expected);
  });
}
