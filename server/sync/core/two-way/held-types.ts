// The same value in another system's types. Systems of a hub keep one value each in types of their own: a
// JSON number 2 in a REST API is '2' in a text column, 9.5 is '9.50' in a numeric(10,2) column, true is 1
// in MariaDB's tinyint(1), and a time written 2024-05-01T10:00:00.000Z reads back 2024-05-01T10:00:00Z.
// Compared by hash, each read back looked like a change, and two-way wrote it to the other side in the
// types of the side it came from — which in turn read it back in its own, and the hub flapped. Pure.
//
// `inHeldTypes(next, held)` is the object a side is given, in the types that side holds it in: a value
// the side already holds as the same value is kept exactly as it holds it (so an object that is the same
// in every value hashes as the side's own), and a changed value takes the side's type when it converts
// without loss (2 → 3 stays a number where the side held a number). Only values of the same kind are
// taken as the same — numbers and decimal text, booleans and 0/1 or 'true'/'false', date-times of the
// same instant — and an absent member is the same as null (a table has a column for it, holding NULL).
// '02' is not 2, '2.5' is not 2, and a decimal too long for a JSON number is not that number.
import { isRecord } from '../paths';

/**
 * `next` in the types `held` has them in, where a value is the same or converts without loss.
 * `fillNulls`: a member the side holds as null and `next` leaves out is added as null, so an object to
 * compare with the side's hashes as its own. Not for an object to write: what it leaves out (a write-back
 * mapping's choice, a query's column the table lacks) is not sent.
 */
export function inHeldTypes(next: unknown, held: unknown, fillNulls = true): unknown {
  if (isRecord(next) && isRecord(held)) {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(next)) {
      if (value === undefined) continue;
      // A member the side does not hold, given as null: the side's absence is the same value.
      if (value === null && !(key in held)) continue;
      out[key] = inHeldTypes(value, held[key], fillNulls);
    }
    // A member the side holds as null, not given: the given object's absence is the same value.
    if (fillNulls)
      for (const [key, value] of Object.entries(held)) if (value === null && !(key in next)) out[key] = null;
    return out;
  }
  if (Array.isArray(next) && Array.isArray(held) && next.length === held.length)
    return next.map((value, i) => inHeldTypes(value, held[i], fillNulls));
  if (sameScalar(next, held)) return held;
  return converted(next, held);
}

/** Whether two plain values are the same value, in whatever type each holds it. */
function sameScalar(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || a === undefined) return b === null || b === undefined;
  if (b === null || b === undefined) return false;
  if (typeof a === 'string' && typeof b === 'string') {
    const instant = instantOf(a);
    return instant !== null && instant === instantOf(b);
  }
  const x = scalarKey(a);
  return x !== null && x === scalarKey(b);
}

/**
 * A number, decimal text or boolean as one comparable key: numbers and decimal text by their shortest
 * decimal text ('9.50' and 9.5 → 'n:9.5'), booleans with 0/1 and 'true'/'false' as 'b:true'/'b:false'
 * (so 1 is true, 2 is not). Null for anything else: other text, objects.
 */
function scalarKey(value: unknown): string | null {
  let decimal: string | null = null;
  if (typeof value === 'number') decimal = numberText(value);
  else if (typeof value === 'string') decimal = decimalText(value);
  const truth = decimal === '0' || decimal === '1' ? decimal === '1' : truthOf(value);
  if (truth !== null) return `b:${truth}`;
  return decimal === null ? null : `n:${decimal}`;
}

/**
 * A changed value in the held value's type, when it is of the same kind and converts without loss: a
 * number as decimal text where the side holds decimal text, decimal text as a number where it holds a
 * number (unless too long for one), a boolean as 0/1 or 'true'/'false' where the side holds one of
 * those, and back. Otherwise as given.
 */
function converted(next: unknown, held: unknown): unknown {
  if (held === null || held === undefined || typeof next === typeof held) return next;
  const truth = truthOf(next);
  switch (typeof held) {
    case 'boolean':
      return truth ?? next;
    case 'number':
      // A boolean as 0/1 only where the side holds 0 or 1; decimal text wherever it holds a number.
      if ((held === 0 || held === 1) && typeof next === 'boolean') return Number(next);
      if (typeof next !== 'string') return next;
      if ((held === 0 || held === 1) && (next === 'true' || next === 'false')) return Number(truthOf(next));
      return decimalNumber(next) ?? next;
    case 'string':
      if (held === 'true' || held === 'false') return truth === null ? next : String(truth);
      if ((held === '0' || held === '1') && truth !== null) return truth ? '1' : '0';
      if (typeof next === 'number' && decimalText(held) !== null) return numberText(next) ?? next;
      return next;
    default:
      return next;
  }
}

/** A boolean, or its 0/1 and 'true'/'false'/'0'/'1' forms, as a boolean; null for any other value. */
function truthOf(value: unknown): boolean | null {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === '1' || value === 'true') return true;
  if (value === 0 || value === '0' || value === 'false') return false;
  return null;
}

/** Decimal text as a number, when the number's text is that decimal (no digits lost); else null. */
function decimalNumber(text: string): number | null {
  const decimal = decimalText(text);
  if (decimal === null) return null;
  const value = Number(decimal);
  return numberText(value) === decimal ? value : null;
}

const DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;

/** Decimal text in its shortest form ('9.50' → '9.5', '-0.0' → '0'), or null when it is not decimal text. */
function decimalText(text: string): string | null {
  if (!DECIMAL.test(text)) return null;
  let out = text.includes('.') ? text.replace(/0+$/, '').replace(/\.$/, '') : text;
  if (out === '-0') out = '0';
  return out;
}

/** A number's decimal text, or null for one JavaScript writes with an exponent (or not finite). */
function numberText(value: number): string | null {
  if (!Number.isFinite(value)) return null;
  const text = Object.is(value, -0) ? '0' : String(value);
  return /e/i.test(text) ? null : text;
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * An ISO 8601 date-time as its instant ('<seconds since 1970>.<fraction>', digits kept: microseconds
 * too), or null when the text is not one. A time without a zone is read as UTC: Concord writes a time
 * with a zone into a column without one in UTC (targets/sql-columns.ts), and reads it back without it.
 */
function instantOf(text: string): string | null {
  const m = DATE_TIME.exec(text);
  if (!m) return null;
  const [, y, mo, d, h, mi, s = '00', fraction = '', zone = 'Z'] = m;
  if (Number(y) < 100) return null; // Date.UTC would read 0099 as 1999
  let offset = 0;
  if (zone.toUpperCase() !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    offset =
      (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0')) * (zone[0] === '-' ? -1 : 1);
  }
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi) - offset, Number(s));
  if (Number.isNaN(ms)) return null;
  return `${ms / 1000}.${fraction.slice(1).replace(/0+$/, '')}`;
}
