// Prefixed, time-ordered ids (`syn_01J…`): readable in logs and URLs, sortable by creation, and
// unguessable thanks to 80 random bits.
import { randomFillSync } from 'node:crypto';

export const ID_PREFIXES = {
  organisation: 'org',
  user: 'usr',
  identity: 'idt',
  session: 'ses',
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
  connection: 'cnx',
  // Contracts recorded since migration 0045 get ids derived from their rowid (schema/contracts.ts).
  contract: 'con',
  run: 'run',
  runEntry: 'ren',
  runEvent: 'rev',
  outbox: 'obx',
  conflict: 'cfl',
  change: 'chg',
  notification: 'ntf',
  webhookEndpoint: 'whe',
  webhookDelivery: 'whd',
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

// Random bytes are drawn from the CSPRNG a pool at a time: one system call per 256 ids, not per id
// (the sync engine creates ids by the thousand). Each byte is used once.
const RANDOM_CHARS = 16;
const pool = Buffer.alloc(RANDOM_CHARS * 256);
let poolOffset = pool.length;

function encodeRandom(): string {
  if (poolOffset + RANDOM_CHARS > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  let out = '';
  for (let i = 0; i < RANDOM_CHARS; i++) out += ALPHABET[(pool[poolOffset + i] ?? 0) % 32];
  poolOffset += RANDOM_CHARS;
  return out;
}

export function newId(kind: IdKind, now = Date.now()): string {
  return `${ID_PREFIXES[kind]}_${encodeTime(now)}${encodeRandom()}`;
}

/** `count` ids of one kind created at the same moment (their time part is computed once). */
export function newIds(kind: IdKind, count: number, now = Date.now()): string[] {
  const head = `${ID_PREFIXES[kind]}_${encodeTime(now)}`;
  return Array.from({ length: count }, () => head + encodeRandom());
}
