import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { open, openJson, seal, sealJson } from '@/server/security/secret-box';

const key = randomBytes(32);

describe('secret box', () => {
  it('round-trips and never contains the plain text', () => {
    const sealed = sealJson({ apiKey: 'super-secret-value' }, key);
    expect(sealed).not.toContain('super-secret-value');
    expect(openJson(sealed, key)).toEqual({ apiKey: 'super-secret-value' });
  });

  it('uses a fresh nonce each time', () => {
    expect(seal('same', key)).not.toBe(seal('same', key));
  });

  it('refuses a tampered value and a wrong key', () => {
    const sealed = seal('value', key);
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3]!, 'base64url');
    body[0] = body[0]! ^ 1;
    parts[3] = body.toString('base64url');
    expect(() => open(parts.join('.'), key)).toThrow();
    expect(() => open(sealed, randomBytes(32))).toThrow();
  });
});
