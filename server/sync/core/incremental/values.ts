// Cursor values of incremental runs: the source's own updated-at values (an ISO or SQL date-time, a
// date, a number), compared in their own type and kept as the source wrote them, so what goes back to
// the source is its own text. Concord's clock enters only to refuse, as the cursor, a date-time far in its
// future (isFarFuture).
import { lookupPath } from '../paths';

/** A value of the source's updated-at field or column, as the source gave it. */
export type CursorValue = string | number;

// `2024-05-01`, `2024-05-01T10:00:00Z`, `2024-05-01 10:00:00.123456+00`, `…+05:30`, `…-0800`.
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:([T ])(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?(\s*(?:Z|[+-]\d{2}(?::?\d{2})?))?$/i;
const NUMERIC = /^[+-]?\d+(?:\.\d+)?$/;

interface ParsedTime {
  /** Whole seconds since 1970 in UTC (a value without zone is read as UTC: only its order matters). */
  readonly seconds: number;
  /** The fraction's digits, padded to nine, so microseconds and nanoseconds compare exactly. */
  readonly fraction: string;
}

interface TimeParts {
  readonly date: readonly [number, number, number];
  readonly separator: string | undefined;
  readonly time: readonly [number, number, number] | null;
  readonly hasSeconds: boolean;
  readonly fraction: string | undefined;
  readonly zone: string | undefined;
}

function timeParts(text: string): TimeParts | null {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, separator, h, mi, s, fraction, zone] = m;
  return {
    date: [Number(y), Number(mo), Number(d)],
    separator,
    time: h === undefined ? null : [Number(h), Number(mi), Number(s ?? 0)],
    hasSeconds: s !== undefined,
    fraction,
    zone,
  };
}

function offsetSeconds(zone: string | undefined): number {
  const z = zone?.trim();
  if (!z || z.toUpperCase() === 'Z') return 0;
  const sign = z.startsWith('-') ? -1 : 1;
  const digits = z.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4) || 0) * 60);
}

function parseTime(text: string): ParsedTime | null {
  const p = timeParts(text);
  if (!p) return null;
  const [y, mo, d] = p.date;
  const [h, mi, s] = p.time ?? [0, 0, 0];
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  if (Number.isNaN(ms)) return null;
  return { seconds: ms / 1000 - offsetSeconds(p.zone), fraction: (p.fraction ?? '').padEnd(9, '0') };
}

/**
 * Orders two values as the source would: numbers (and numeric text) by value, date-times by the
 * instant they name whatever their offset (`10:00+05:00` is before `06:00Z`), other text by its
 * characters. Negative when `a` comes first, 0 when equal.
 */
export function compareCursorValues(a: CursorValue, b: CursorValue): number {
  const numeric = (v: CursorValue) => typeof v === 'number' || NUMERIC.test(v);
  if (numeric(a) && numeric(b)) {
    const diff = Number(a) - Number(b);
    if (diff !== 0 || typeof a === 'number' || typeof b === 'number') return Math.sign(diff);
    return compareDecimalText(a, b);
  }
  if (typeof a === 'string' && typeof b === 'string') {
    const ta = parseTime(a);
    const tb = parseTime(b);
    if (ta && tb) {
      if (ta.seconds !== tb.seconds) return ta.seconds < tb.seconds ? -1 : 1;
      return ta.fraction < tb.fraction ? -1 : ta.fraction > tb.fraction ? 1 : 0;
    }
  }
  const sa = String(a);
  const sb = String(b);
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

// Integers beyond 2^53 (bigint columns arrive as text): equal as doubles, so compare the digits.
function compareDecimalText(a: string, b: string): number {
  try {
    const [ia, ib] = [BigInt(a.split('.')[0]!), BigInt(b.split('.')[0]!)];
    if (ia !== ib) return ia < ib ? -1 : 1;
  } catch {
    // Not integers: equal as far as a double can tell.
  }
  return 0;
}

/**
 * How far ahead of Concord's clock a date-time may be and still be taken as the source's updated-at: a
 * source's clock a few hours off, or in another zone written without its offset, is not a mistake.
 */
export const FUTURE_TOLERANCE_MS = 86_400_000;

/**
 * A date-time more than a day after `now` (epoch ms): a year 2099 typed in, a clock set wrong. Numbers and
 * other text never are — their unit (seconds, milliseconds, a version counter) is the source's own.
 */
export function isFarFuture(value: CursorValue, now: number): boolean {
  if (typeof value !== 'string' || NUMERIC.test(value)) return false;
  const t = parseTime(value);
  return t !== null && t.seconds * 1000 > now + FUTURE_TOLERANCE_MS;
}

/** The later of two values, either of which may be missing. */
export function laterOf(a: CursorValue | null, b: CursorValue | null): CursorValue | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareCursorValues(b, a) > 0 ? b : a;
}

/** The earlier of two values, either of which may be missing. */
export function earlierOf(a: CursorValue | null, b: CursorValue | null): CursorValue | null {
  if (a === null) return b;
  if (b === null) return a;
  return compareCursorValues(b, a) < 0 ? b : a;
}

/** An object's value at the field path, when it is one a cursor can hold (text or a finite number). */
export function cursorValueOf(object: unknown, field: string): CursorValue | null {
  const found = lookupPath(object, field);
  if (!found.found) return null;
  const value = found.value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') return value;
  return null;
}

/** Whether a value read back from storage is a cursor value. */
export function isCursorValue(value: unknown): value is CursorValue {
  return (typeof value === 'string' && value !== '') || (typeof value === 'number' && Number.isFinite(value));
}

/**
 * The value `seconds` earlier, written the way the source wrote it: a date-time keeps its separator,
 * precision and offset (the arithmetic is on its wall clock, which a fixed offset makes exact), a date
 * moves by whole days (rounded up, so the window is never shorter), a number by the same amount in the
 * field's own unit. Text that is none of these is returned as it is: without a lookback.
 */
export function shiftBack(value: CursorValue, seconds: number): CursorValue {
  if (seconds <= 0) return value;
  if (typeof value === 'number') return value - seconds;
  if (NUMERIC.test(value)) return shiftNumericText(value, seconds);
  const p = timeParts(value);
  if (!p) return value;
  const [y, mo, d] = p.date;
  if (!p.time) {
    const days = Math.ceil(seconds / 86_400);
    return formatDate(new Date(Date.UTC(y, mo - 1, d - days)));
  }
  const [h, mi, s] = p.time;
  const shifted = new Date(Date.UTC(y, mo - 1, d, h, mi, s) - seconds * 1000);
  const time = shifted.toISOString().slice(11, p.hasSeconds ? 19 : 16);
  const fraction = p.fraction === undefined ? '' : `.${p.fraction}`;
  return `${formatDate(shifted)}${p.separator}${time}${fraction}${p.zone ?? ''}`;
}

function shiftNumericText(text: string, amount: number): string {
  if (/^[+-]?\d+$/.test(text)) return (BigInt(text) - BigInt(Math.ceil(amount))).toString();
  return String(Number(text) - amount);
}

function formatDate(date: Date): string {
  const year = date.getUTCFullYear();
  return `${String(year).padStart(4, '0')}-${date.toISOString().slice(5, 10)}`;
}
