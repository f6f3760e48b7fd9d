// Database values as JSON, keys and the SQL cursor: precision kept (text for big numbers and decimals,
// microseconds in times), bytes as base64, and the key comparison that guards page boundaries.
import { describe, expect, it } from 'vitest';
import {
  bitValue,
  boundParam,
  isoDateTime,
  isSqlCursor,
  keyOf,
  keyParam,
  rowToObject,
  sameKey,
  showKey,
  toJsonValue,
} from '@/server/sync/sources/sql-values';

describe('toJsonValue', () => {
  it('keeps JSON values and turns the rest into JSON', () => {
    expect(toJsonValue(null)).toBe(null);
    expect(toJsonValue(undefined)).toBe(null);
    expect(toJsonValue('text')).toBe('text');
    expect(toJsonValue(true)).toBe(true);
    expect(toJsonValue(1.5)).toBe(1.5);
    expect(toJsonValue(9007199254740993n)).toBe('9007199254740993');
    expect(toJsonValue('12345678901234567890.123456')).toBe('12345678901234567890.123456');
    expect(toJsonValue(Number.NaN)).toBe('NaN');
    expect(toJsonValue(Number.POSITIVE_INFINITY)).toBe('Infinity');
    expect(toJsonValue(new Date('2024-05-01T10:00:00.123Z'))).toBe('2024-05-01T10:00:00.123Z');
    expect(toJsonValue(new Date('nonsense'))).toBe(null);
    expect(toJsonValue(Buffer.from([0, 1, 2, 255]))).toBe('AAEC/w==');
    expect(toJsonValue(new Uint8Array([104, 105]))).toBe('aGk=');
  });

  it('walks JSON columns and arrays', () => {
    expect(toJsonValue({ a: [1, { b: 2n, c: new Date(0) }], d: null, e: Buffer.from('x') })).toEqual({
      a: [1, { b: '2', c: '1970-01-01T00:00:00.000Z' }],
      d: null,
      e: 'eA==',
    });
  });
});

describe('bitValue', () => {
  it('reads MySQL BIT bytes as their number, past 53 bits as digits', () => {
    expect(bitValue(Uint8Array.of(1), 1)).toBe(1);
    expect(bitValue(Uint8Array.of(0), 1)).toBe(0);
    expect(bitValue(Uint8Array.of(1, 0), 16)).toBe(256);
    expect(bitValue(new Uint8Array(8).fill(255), 64)).toBe('18446744073709551615');
  });
  it('rowToObject uses it for a BIT column only', () => {
    const row = { flag: Uint8Array.of(1), photo: Uint8Array.of(1) };
    expect(rowToObject(row, [{ name: 'flag', bits: 1 }, { name: 'photo' }])).toEqual({
      flag: 1,
      photo: 'AQ==',
    });
  });
});

describe('isoDateTime', () => {
  it('writes database date-times as ISO 8601, keeping every digit', () => {
    expect(isoDateTime('2024-05-01 10:00:00', 'local')).toBe('2024-05-01T10:00:00');
    expect(isoDateTime('2024-05-01 10:00:00.123456', 'local')).toBe('2024-05-01T10:00:00.123456');
    expect(isoDateTime('2024-05-01 10:00:00.5+00', 'utc')).toBe('2024-05-01T10:00:00.5Z');
    expect(isoDateTime('2024-05-01 10:00:00', 'utc')).toBe('2024-05-01T10:00:00Z');
  });

  it('leaves what it does not recognise alone', () => {
    for (const text of ['infinity', '-infinity', '0044-03-15 00:00:00+00 BC', '2024-05-01 10:00:00+02'])
      expect(isoDateTime(text, 'utc')).toBe(text);
  });
});

describe('rowToObject', () => {
  it('converts each column by its kind', () => {
    const columns = [
      { name: 'id' },
      { name: 'at', temporal: 'utc' as const },
      { name: 'on', temporal: 'local' as const },
    ];
    expect(
      rowToObject({ id: '7', at: '2024-01-01 00:00:00.000001+00', on: null, extra: 1 }, columns),
    ).toEqual({
      id: '7',
      at: '2024-01-01T00:00:00.000001Z',
      on: null,
    });
  });
});

describe('keys', () => {
  it('reads keys a cursor can carry, and gives them back as parameters', () => {
    expect(keyOf('a')).toBe('a');
    expect(keyOf(3)).toBe(3);
    expect(keyOf(12n)).toBe('12');
    expect(keyOf(Buffer.from([1, 2]))).toEqual({ base64: 'AQI=' });
    expect(keyOf(Number.NaN)).toBe(null);
    expect(keyOf(null)).toBe(null);
    expect(keyOf({ a: 1 })).toBe(null);
    expect(keyOf(true)).toBe(null);
    expect(keyParam({ base64: 'AQI=' })).toEqual(Buffer.from([1, 2]));
    expect(keyParam('x')).toBe('x');
    expect(showKey('x'.repeat(200))).toHaveLength(78);
    expect(showKey({ base64: 'AQI=' })).toBe('base64:AQI=');
  });

  it('treats keys as the same where the database would', () => {
    expect(sameKey('postgres', 'a', 'a')).toBe(true);
    expect(sameKey('postgres', 'a', 'A')).toBe(false);
    // MySQL's usual collations ignore case, accents and trailing spaces.
    expect(sameKey('mysql', 'a', 'A')).toBe(true);
    expect(sameKey('mysql', 'e', 'é')).toBe(true);
    expect(sameKey('mysql', 'a ', 'a')).toBe(true);
    expect(sameKey('mysql', 'a', 'b')).toBe(false);
    expect(sameKey('mysql', 2, 2)).toBe(true);
    expect(sameKey('postgres', 2, 3)).toBe(false);
    expect(sameKey('postgres', { base64: 'AQI=' }, { base64: 'AQI=' })).toBe(true);
    expect(sameKey('postgres', { base64: 'AQI=' }, 'AQI=')).toBe(false);
  });
});

describe('isSqlCursor', () => {
  it('accepts the cursors a listing returns, after a JSON round trip', () => {
    for (const cursor of [
      { after: null, page: 1 },
      { after: 'K-1', page: 2 },
      { after: 10, page: 3 },
      { after: { base64: 'AQI=' }, page: 4 },
    ])
      expect(isSqlCursor(JSON.parse(JSON.stringify(cursor)))).toBe(true);
  });

  it('refuses anything else (a REST cursor, a broken page number)', () => {
    for (const value of [
      null,
      'x',
      { url: 'https://x.test', page: 2 },
      { after: 'a', page: 0 },
      { after: 'a', page: 1.5 },
      { after: true, page: 1 },
      { after: {}, page: 1 },
    ])
      expect(isSqlCursor(value)).toBe(false);
  });
});

describe('boundParam', () => {
  it('passes what the database wrote back as it came', () => {
    expect(boundParam('mysql', '2024-05-01 05:00:00.123456')).toBe('2024-05-01 05:00:00.123456');
    expect(boundParam('postgres', '2024-05-01T10:00:00+05:00')).toBe('2024-05-01T10:00:00+05:00');
    expect(boundParam('mysql', 42)).toBe(42);
  });

  it('writes an ISO date-time from an object as MariaDB reads it, in UTC', () => {
    expect(boundParam('mysql', '2024-05-01T05:00:00.5Z')).toBe('2024-05-01 05:00:00.5');
    expect(boundParam('mysql', '2024-05-01T10:00:00+05:00')).toBe('2024-05-01 05:00:00');
    expect(boundParam('mysql', '2024-05-01T10:00:00')).toBe('2024-05-01 10:00:00');
  });
});
