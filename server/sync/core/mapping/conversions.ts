// Value conversions behind the mapping casts: numbers, booleans, dates, money and JSON. Each returns
// a value or the reason it cannot convert — a bad value never becomes a silent 0 or false.

export type Converted =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly reason: string };

const ok = (value: unknown): Converted => ({ ok: true, value });
const no = (reason: string): Converted => ({ ok: false, reason });

export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value) ?? typeof value;
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

const isBlank = (value: unknown): boolean => typeof value === 'string' && value.trim() === '';

export function toInteger(value: unknown): Converted {
  if (typeof value === 'boolean') return ok(value ? 1 : 0);
  if (typeof value === 'number') {
    return Number.isInteger(value) ? ok(value) : no(`${show(value)} is not a whole number`);
  }
  if (typeof value === 'string') {
    if (isBlank(value)) return ok(null);
    const text = value.trim();
    if (/^[+-]?\d+(\.0+)?$/.test(text)) {
      const number = Number(text);
      return Number.isSafeInteger(number) ? ok(number) : no(`${show(value)} is too large for an integer`);
    }
  }
  return no(`${show(value)} is not a whole number`);
}

export function toFloat(value: unknown): Converted {
  if (typeof value === 'boolean') return ok(value ? 1 : 0);
  if (typeof value === 'number')
    return Number.isFinite(value) ? ok(value) : no(`${show(value)} is not a number`);
  if (typeof value === 'string') {
    if (isBlank(value)) return ok(null);
    const text = value.trim();
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) return ok(Number(text));
  }
  return no(`${show(value)} is not a number`);
}

const TRUE_WORDS = new Set(['true', '1', 'yes', 'y', 'on', 'ja', 'j']);
const FALSE_WORDS = new Set(['false', '0', 'no', 'n', 'off', 'nee']);

export function toBoolean(value: unknown): Converted {
  if (typeof value === 'boolean') return ok(value);
  if (typeof value === 'number')
    return Number.isFinite(value) ? ok(value !== 0) : no(`${show(value)} is not a boolean`);
  if (typeof value === 'string') {
    const word = value.trim().toLowerCase();
    if (word === '') return ok(null);
    if (TRUE_WORDS.has(word)) return ok(true);
    if (FALSE_WORDS.has(word)) return ok(false);
  }
  return no(`${show(value)} is not a boolean (use true/false, 1/0, yes/no)`);
}

/** Text for comparing a value with a configured text: scalars as written, the rest as JSON. */
export function asText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return JSON.stringify(value) ?? '';
}

export function toText(value: unknown): Converted {
  if (typeof value === 'string') return ok(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return ok(String(value));
  if (value instanceof Date) return ok(value.toISOString());
  return ok(JSON.stringify(value));
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})/;
const ISO_DATETIME = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$/i;
const MONTH_NAME = /\b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b/i;

/**
 * Reads an instant from ISO 8601 (date-times without an offset are taken as UTC, so the server's time
 * zone never changes a value), RFC 2822 dates, Date objects and Unix timestamps (numbers below 1e11 are
 * seconds, larger ones milliseconds). Ambiguous forms such as 03/04/2024 are refused.
 */
export function toInstant(value: unknown): Date | null {
  let date: Date | null = null;
  if (value instanceof Date) date = new Date(value.getTime());
  else if (typeof value === 'number' && Number.isFinite(value))
    date = new Date(Math.abs(value) < 1e11 ? value * 1000 : value);
  else if (typeof value === 'string') {
    const text = value.trim();
    if (ISO_DATETIME.test(text)) {
      const normalised = text.replace(' ', 'T');
      const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(normalised) && normalised.includes('T');
      const isDateOnly = !normalised.includes('T');
      date = new Date(isDateOnly ? `${normalised}T00:00:00Z` : hasZone ? normalised : `${normalised}Z`);
    } else if (MONTH_NAME.test(text)) date = new Date(text);
  }
  return date && !Number.isNaN(date.getTime()) ? date : null;
}

export function toDate(value: unknown): Converted {
  if (isBlank(value)) return ok(null);
  // A written calendar date is kept as written rather than shifted through UTC.
  if (typeof value === 'string') {
    const match = ISO_DATE.exec(value.trim());
    if (match && toInstant(value) !== null) return ok(`${match[1]}-${match[2]}-${match[3]}`);
  }
  const instant = toInstant(value);
  return instant ? ok(instant.toISOString().slice(0, 10)) : no(`${show(value)} is not a date`);
}

export function toDateTime(value: unknown): Converted {
  if (isBlank(value)) return ok(null);
  const instant = toInstant(value);
  return instant ? ok(instant.toISOString()) : no(`${show(value)} is not a date and time`);
}

export function parseJson(value: unknown): Converted {
  if (typeof value !== 'string') return ok(value);
  if (isBlank(value)) return ok(null);
  try {
    return ok(JSON.parse(value));
  } catch (error) {
    return no(`${show(value)} is not valid JSON (${(error as Error).message})`);
  }
}

/**
 * Money text to whole cents: "12.34", "12,34", "1.234,56", "€ 1,234.56" → 1234, 1234, 123456, 123456.
 * The last separator followed by one or two digits is the decimal mark; the others group thousands.
 */
export function moneyToCents(value: unknown): Converted {
  if (typeof value === 'number')
    return Number.isFinite(value) ? ok(Math.round(value * 100)) : no(`${show(value)} is not an amount`);
  if (typeof value !== 'string') return no(`${show(value)} is not an amount`);
  if (isBlank(value)) return ok(null);
  const text = value.replace(/[^\d.,+-]/g, '');
  const negative = text.startsWith('-');
  const match = /^[+-]?([\d.,]*?)(?:[.,](\d{1,2}))?$/.exec(text);
  const whole = match?.[1]?.replace(/[.,]/g, '') ?? '';
  if (!match || !/\d/.test(text) || !/^\d*$/.test(whole)) return no(`${show(value)} is not an amount`);
  const cents = Number(whole || '0') * 100 + Number((match[2] ?? '0').padEnd(2, '0'));
  return Number.isSafeInteger(cents) ? ok(negative ? -cents : cents) : no(`${show(value)} is too large`);
}

export function centsToMoney(value: unknown): Converted {
  const cents = toInteger(value);
  if (!cents.ok || cents.value === null)
    return cents.ok ? cents : no(`${show(value)} is not a whole number of cents`);
  const amount = cents.value as number;
  const sign = amount < 0 ? '-' : '';
  const abs = Math.abs(amount);
  return ok(`${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`);
}

export function coordinates(value: unknown): Converted {
  if (Array.isArray(value)) return ok(value);
  if (typeof value !== 'string') return no(`${show(value)} is not a coordinate text`);
  const parts = value
    .trim()
    .split(/\s*[,;\s]\s*/)
    .filter((part) => part !== '');
  const numbers = parts.map(Number);
  if (numbers.length < 2 || numbers.some((n) => !Number.isFinite(n)))
    return no(`${show(value)} is not "lat, lon"`);
  return ok(numbers);
}
