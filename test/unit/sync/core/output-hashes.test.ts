// What a pull or push remembers of its output (core/prepare.ts makeOutput): the hash of what the target
// is handed, and the sent hash, which also covers how the target is written to. Hashes are 128 bits
// since migration 0021, which cut every stored 64-character hash to its first 32: a sent hash stored
// before must stay what the engine makes now, or upgrading would send every object again.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalJson, digestValue, hashValue } from '@/server/sync/core/canonical-json';
import { makeOutput, type Made } from '@/server/sync/core/prepare';
import { NO_SETTINGS } from './helpers/factories';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const object = { id: 7, name: 'Pump', tags: ['a', 'b'] };

describe('the hashes of an output', () => {
  it('hashes what the target is handed in 32 hex characters; without a fingerprint it is also the sent hash', () => {
    const made = makeOutput(object, NO_SETTINGS) as Made;
    expect(made.outputHash).toBe(hashValue(object));
    expect(made.outputHash).toMatch(/^[0-9a-f]{32}$/);
    expect(made.sentHash).toBe(made.outputHash);
  });

  it('makes the sent hash over whole digests, so one stored with 64 characters and cut is the same', () => {
    const config = { createEndpoint: '/pumps', updateMethod: 'PUT' };
    const fingerprint = digestValue(config);
    const made = makeOutput(object, { ...NO_SETTINGS, targetFingerprint: fingerprint }) as Made;
    // The sent hash as Concord stored it before hashes were cut: SHA-256 over [output digest, fingerprint].
    const before = sha256(canonicalJson([sha256(canonicalJson(object)), sha256(canonicalJson(config))]));
    expect(made.sentHash).toBe(before.slice(0, 32));
    expect(made.sentHash).not.toBe(made.outputHash);
  });

  it('changes the sent hash, not the output hash, when the way the target is written to changes', () => {
    const one = makeOutput(object, { ...NO_SETTINGS, targetFingerprint: digestValue({ m: 'PUT' }) }) as Made;
    const two = makeOutput(object, {
      ...NO_SETTINGS,
      targetFingerprint: digestValue({ m: 'PATCH' }),
    }) as Made;
    expect(two.outputHash).toBe(one.outputHash);
    expect(two.sentHash).not.toBe(one.sentHash);
  });
});
