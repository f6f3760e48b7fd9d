// The mapping casts, by the names an OpenConnector user knows (plus a few aliases). A cast turns a
// value into a value, removes the key, or gives a reason; null stays null through every cast.
import * as convert from './conversions';
import { asText, show, type Converted } from './conversions';

export type CastOutcome =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'unset' }
  | { readonly kind: 'error'; readonly reason: string };

type CastFn = (value: unknown, context: { readonly key: string; readonly argument: string }) => CastOutcome;

const from = (converted: Converted): CastOutcome =>
  converted.ok ? { kind: 'value', value: converted.value } : { kind: 'error', reason: converted.reason };
const value = (v: unknown): CastOutcome => ({ kind: 'value', value: v });
const UNSET: CastOutcome = { kind: 'unset' };

/** Applies a text operation to strings and other scalars; lists and objects are refused. */
function text(op: (s: string) => string | Converted): CastFn {
  return (input) => {
    if (input !== null && typeof input === 'object')
      return { kind: 'error', reason: `${show(input)} is not text` };
    const result = op(String(input));
    return typeof result === 'string' ? value(result) : from(result);
  };
}

function decodeBase64(input: string): Converted {
  const compact = input.replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/_-]*={0,2}$/.test(compact) || compact.replace(/=+$/, '').length % 4 === 1) {
    return { ok: false, reason: `${show(input)} is not base64` };
  }
  try {
    return {
      ok: true,
      value: new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(compact, 'base64')),
    };
  } catch {
    return { ok: false, reason: `${show(input)} does not decode to UTF-8 text` };
  }
}

function decodeUri(input: string, plusIsSpace: boolean): Converted {
  try {
    return { ok: true, value: decodeURIComponent(plusIsSpace ? input.replace(/\+/g, ' ') : input) };
  } catch {
    return { ok: false, reason: `${show(input)} is not URL-encoded text` };
  }
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
const HTML_NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: '\u00a0',
};

function decodeHtml(input: string): string {
  return input.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (entity, body: string) => {
    if (body[0] === '#') {
      const code =
        body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : entity;
    }
    return HTML_NAMED[body.toLowerCase()] ?? entity;
  });
}

const isEmpty = (v: unknown): boolean =>
  v === undefined ||
  v === null ||
  (typeof v === 'string' && v.trim() === '') ||
  (Array.isArray(v) && v.length === 0) ||
  (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0);

/** Casts that take no argument. Keys are matched case-insensitively; a leading `?` is accepted. */
const SIMPLE: Record<string, CastFn> = {
  string: (v) => from(convert.toText(v)),
  int: (v) => from(convert.toInteger(v)),
  float: (v) => from(convert.toFloat(v)),
  bool: (v) => from(convert.toBoolean(v)),
  date: (v) => from(convert.toDate(v)),
  datetime: (v) => from(convert.toDateTime(v)),
  json: (v) => from(convert.parseJson(v)),
  jsonToArray: (v) => {
    const parsed = convert.parseJson(v);
    if (!parsed.ok || parsed.value === null || typeof parsed.value === 'object') return from(parsed);
    return { kind: 'error', reason: `${show(v)} is not a JSON list or object` };
  },
  jsonEncode: (v) => value(JSON.stringify(v)),
  array: (v) => value(Array.isArray(v) ? v : [v]),
  nullStringToNull: (v) => value(typeof v === 'string' && v.trim().toLowerCase() === 'null' ? null : v),
  emptyStringToNull: (v) => value(typeof v === 'string' && v.trim() === '' ? null : v),
  keyCantBeValue: (v, { key }) => (v === key || v === key.split('.').pop() ? UNSET : value(v)),
  unsetIfNull: (v) => (v === null ? UNSET : value(v)),
  unsetIfEmpty: (v) => (isEmpty(v) ? UNSET : value(v)),
  base64: text((s) => Buffer.from(s, 'utf8').toString('base64')),
  base64Decode: text(decodeBase64),
  url: text((s) => encodeURIComponent(s).replace(/%20/g, '+')),
  urlDecode: text((s) => decodeUri(s, true)),
  rawurl: text((s) =>
    encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
  ),
  rawurlDecode: text((s) => decodeUri(s, false)),
  html: text((s) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c)),
  htmlDecode: text(decodeHtml),
  lowercase: text((s) => s.toLowerCase()),
  uppercase: text((s) => s.toUpperCase()),
  trim: text((s) => s.trim()),
  utf8: text((s) => s), // strings are already Unicode here; kept so imported mappings stay valid
  moneyStringToInt: (v) => from(convert.moneyToCents(v)),
  intToMoneyString: (v) => from(convert.centsToMoney(v)),
  coordinateStringToArray: (v) => from(convert.coordinates(v)),
};

/** Other names users reach for, by lower-case alias. */
// prettier-ignore
const ALIASES: Record<string, string> = {
  integer: 'int', number: 'float', double: 'float', boolean: 'bool', iso8601: 'datetime', tojson: 'jsonEncode',
  jsonstring: 'jsonEncode', list: 'array', lower: 'lowercase', upper: 'uppercase', base64encode: 'base64',
  urlencode: 'url', rawurlencode: 'rawurl', htmlencode: 'html', text: 'string',
};

/** Casts with an argument, written `name==argument` (OpenConnector style). */
const WITH_ARGUMENT: Record<string, CastFn> = {
  unsetIfValue: (v, { argument }) => (v !== null && asText(v) === argument ? UNSET : value(v)),
  setNullIfValue: (v, { argument }) => value(v !== null && asText(v) === argument ? null : v),
  split: (v, { argument }) => (typeof v === 'string' ? value(v === '' ? [] : v.split(argument)) : value(v)),
  join: (v, { argument }) => (Array.isArray(v) ? value(v.map(asText).join(argument)) : value(v)),
  default: (v, { argument }) => value(v === null || v === '' ? argument : v),
};

// These casts exist to deal with null or empty values, so null reaches them instead of passing through.
const NULL_AWARE = new Set(['unsetIfNull', 'unsetIfEmpty', 'default']);

const byLowerName = (table: Record<string, CastFn>) =>
  new Map(Object.entries(table).map(([name, fn]) => [name.toLowerCase(), { name, fn }]));
const SIMPLE_BY_NAME = byLowerName(SIMPLE);
const ARGUMENT_BY_NAME = byLowerName(WITH_ARGUMENT);

export type ParsedCast =
  | { readonly ok: true; readonly name: string; readonly apply: (value: unknown, key: string) => CastOutcome }
  | { readonly ok: false; readonly reason: string };

/** Parses `int`, `?int`, `Integer`, `unsetIfValue==n/a`, … into a cast ready to apply. */
export function parseCast(spec: string): ParsedCast {
  const separator = spec.indexOf('==');
  const rawName = (separator === -1 ? spec : spec.slice(0, separator)).trim().replace(/^\?/, '');
  const argument = separator === -1 ? '' : spec.slice(separator + 2);
  const lower = rawName.toLowerCase();
  const entry =
    separator === -1
      ? SIMPLE_BY_NAME.get(ALIASES[lower]?.toLowerCase() ?? lower)
      : ARGUMENT_BY_NAME.get(lower);
  if (entry) {
    const { name, fn } = entry;
    const apply = (v: unknown, key: string): CastOutcome =>
      v === null && !NULL_AWARE.has(name) ? value(null) : fn(v, { key, argument });
    return { ok: true, name, apply };
  }
  if (separator !== -1) {
    const known = Object.keys(WITH_ARGUMENT).join(', ');
    return { ok: false, reason: `Unknown cast "${rawName}==…"; casts that take a value: ${known}` };
  }
  if (ARGUMENT_BY_NAME.has(lower))
    return { ok: false, reason: `The cast "${rawName}" needs a value: write "${rawName}==value"` };
  const suggestion = closest(lower, CAST_NAMES);
  return {
    ok: false,
    reason: `Unknown cast "${rawName}"${suggestion ? `; did you mean "${suggestion}"?` : ''}`,
  };
}

/** Every cast name, for forms and documentation. */
export const CAST_NAMES: readonly string[] = [
  ...Object.keys(SIMPLE),
  ...Object.keys(WITH_ARGUMENT).map((name) => `${name}==…`),
];

function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of [...candidates, ...Object.keys(ALIASES)]) {
    const distance = editDistance(word, candidate.toLowerCase());
    if (distance <= 2 && (!best || distance < best.distance))
      best = { name: ALIASES[candidate] ?? candidate, distance };
  }
  return best?.name;
}
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
