// Prefixed, time-ordered ids (`syn_01J…`): readable in logs and URLs, sortable by creation, and
// unguessable thanks to 80 random bits.
import { randomBytes } from 'node:crypto';

export const ID_PREFIXES = {
  organisation: 'org',
  user: 'usr',
  identity: 'idt',
  membership: 'mem',
  invitation: 'inv',
  apiKey: 'key',
  source: 'src',
  file: 'fil',
  register: 'reg',
  schema: 'sch',
  object: 'obj',
  mapping: 'map',
  synchronisation: 'syn',
  contract: 'con',
  run: 'run',
  runEntry: 'ren',
} as const;

export type IdKind = keyof typeof ID_PREFIXES;

const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'; // Crockford base32, lower case

function encodeTime(ms: number): string {
  let out = '';
  let rest = ms;
  for (let i = 0; i < 10; i++) {
    out = ALPHABET[rest % 32] + out;
    rest = Math.floor(rest / 32);
  }
  return out;
}

function encodeRandom(bytes: Buffer): string {
  let out = '';
  for (const byte of bytes) out += ALPHABET[byte % 32];
  return out;
}

export function newId(kind: IdKind, now = Date.now()): string {
  return `${ID_PREFIXES[kind]}_${encodeTime(now)}${encodeRandom(randomBytes(16))}`;
}
