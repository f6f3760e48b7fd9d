// Canonical JSON (keys sorted at every level, arrays in order) and SHA-256 hashes over it, so the
// same object always hashes the same no matter how the source ordered its keys.
import * as crypto from 'node:crypto';
import { lookupPath } from './paths';

// Deeper than this is a cycle (or data no source sends); checking depth is far cheaper than a Set.
const MAX_DEPTH = 1_000;

/**
 * Serialises like JSON.stringify but with object keys sorted by code unit at every level.
 * `undefined` members are dropped (in arrays they become null, as in JSON); NaN and ±Infinity become
 * null; -0 becomes 0; `toJSON` (e.g. Date) is honoured. Cycles are a bug in the caller and throw.
 */
export function canonicalJson(value: unknown): string {
  return serialise(value, 0) ?? 'null';
}

function serialise(value: unknown, depth: number): string | undefined {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? (value === 0 ? '0' : String(value)) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'object':
      break;
    default:
      return undefined; // undefined, functions and symbols, as in JSON
  }
  if (value === null) return 'null';
  if (depth > MAX_DEPTH)
    throw new TypeError(
      `canonicalJson: the value is nested too deeply (more than ${MAX_DEPTH} levels) or contains a cycle`,
    );
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++) {
      if (i > 0) out += ',';
      out += serialise(value[i], depth + 1) ?? 'null';
    }
    return `${out}]`;
  }
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === 'function') return serialise((toJSON as () => unknown).call(value), depth + 1);
  const record = value as Record<string, unknown>;
  const keys = sortedKeys(Object.keys(record));
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = serialise(record[key], depth + 1);
    if (member === undefined) continue;
    out += `${first ? '' : ','}${quoteKey(key)}:${member}`;
    first = false;
  }
  return `${out}}`;
}

// Up to this many keys an object's are sorted in place by insertion: Array.prototype.sort made a work
// array per object (270 MB of the 1.9 GB an initial pull of 100,000 objects allocated, issue 14), and
// the keys of most objects come in few enough, often already nearly in order.
const INSERTION_SORT_KEYS = 24;

/**
 * The keys in code-unit order, as `sort()` orders strings (`>` compares strings by code units too); the
 * array itself, sorted in place.
 */
function sortedKeys(keys: string[]): string[] {
  if (keys.length > INSERTION_SORT_KEYS) return keys.sort();
  for (let i = 1; i < keys.length; i++) {
    const key = keys[i]!;
    let j = i - 1;
    while (j >= 0 && keys[j]! > key) {
      keys[j + 1] = keys[j]!;
      j--;
    }
    keys[j + 1] = key;
  }
  return keys;
}

// Objects of one source share their keys, so their quoted forms are worth keeping.
const quotedKeys = new Map<string, string>();

function quoteKey(key: string): string {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = JSON.stringify(key);
    if (quotedKeys.size > 10_000) quotedKeys.clear();
    quotedKeys.set(key, quoted);
  }
  return quoted;
}

// crypto.hash (Node ≥ 20.12) hashes in one call, about twice as fast as createHash for small inputs.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: string) => string | Buffer })
  .hash;

export function sha256Hex(text: string): string {
  return oneShot
    ? (oneShot('sha256', text, 'hex') as string)
    : crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The same digest as bytes (object ids are made from its bits). */
export function sha256Bytes(text: string): Buffer {
  return oneShot
    ? (oneShot('sha256', text, 'buffer') as Buffer)
    : crypto.createHash('sha256').update(text, 'utf8').digest();
}

/**
 * How many hex characters of a SHA-256 digest make a hash Concord stores (an object's, a contract's
 * origin and target hashes, a version's): 128 bits. Such a hash only tells one version of an object
 * from another version of the same object, so a wrong "unchanged" needs two versions colliding in
 * 128 bits; the other 128 cost every synchronised object about 160 bytes of database, five hashes
 * (issue 14). Stored hashes of 64 characters were cut to their first 32 (migration 0021): the
 * same hashes this makes of the same objects.
 */
export const HASH_LENGTH = 32;

const STORED_HASH = new RegExp(`^[0-9a-f]{${HASH_LENGTH}}$`);

/** Whether a text is a hash as hashValue makes them (HASH_LENGTH lower-case hex characters). */
export const isStoredHash = (text: string): boolean => STORED_HASH.test(text);

/** The whole SHA-256 hex (64 characters) of the canonical JSON of a value: what hashes are cut from. */
export function digestValue(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

/** The hash of a value: SHA-256 of its canonical JSON, cut to HASH_LENGTH hex characters. */
export function hashValue(value: unknown): string {
  // Sliced from the hex: three times cheaper than from the digest's bytes (a Buffer per hash).
  return digestValue(value).slice(0, HASH_LENGTH);
}

/**
 * Hash of an object, optionally over selected dot paths only — so a volatile field (a `fetchedAt`,
 * a view counter) does not make every run update every object. A missing path and a path holding
 * null hash differently, so a field disappearing still counts as a change.
 */
export function hashObject(value: unknown, fields?: readonly string[] | null): string {
  if (!fields || fields.length === 0) return hashValue(value);
  const projection: Record<string, unknown> = {};
  for (const field of fields) {
    const lookup = lookupPath(value, field);
    projection[field] = lookup.found ? { v: lookup.value } : { missing: true };
  }
  return hashValue(projection);
}
