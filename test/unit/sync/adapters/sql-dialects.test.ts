// The SQL an SQL source sends, built without values: identifier quoting per dialect, what an endpoint
// reads (a table written as in SQL, or a SELECT/WITH query), and the keyset page statement.
import { describe, expect, it } from 'vitest';
import {
  beginReadOnly,
  describeDatabase,
  pageStatement,
  parseSqlRead,
  quoteIdentifier,
  upperBoundStatement,
} from '@/server/sync/sources/sql-dialects';

describe('quoteIdentifier', () => {
  it('quotes by each dialect and doubles the quote inside', () => {
    expect(quoteIdentifier('postgres', 'people')).toBe('"people"');
    expect(quoteIdentifier('postgres', 'we"ird')).toBe('"we""ird"');
    expect(quoteIdentifier('mysql', 'people')).toBe('`people`');
    expect(quoteIdentifier('mysql', 'we`ird')).toBe('`we``ird`');
    // The other dialect's quote is an ordinary character.
    expect(quoteIdentifier('mysql', 'a"b')).toBe('`a"b`');
    expect(quoteIdentifier('postgres', 'x"; DROP TABLE t; --')).toBe('"x""; DROP TABLE t; --"');
  });

  it('refuses an empty name and NUL', () => {
    expect(() => quoteIdentifier('postgres', '')).toThrow(/empty/);
    expect(() => quoteIdentifier('mysql', 'a\u0000b')).toThrow(/NUL/);
  });
});

describe('parseSqlRead', () => {
  it('reads a query starting with SELECT or WITH, without its final semicolon', () => {
    expect(parseSqlRead('postgres', '  select id from t where x = 1 ; \n')).toEqual({
      ok: true,
      read: { kind: 'query', sql: 'select id from t where x = 1' },
    });
    expect(parseSqlRead('mysql', 'WITH a AS (SELECT 1 id) SELECT * FROM a')).toMatchObject({
      ok: true,
      read: { kind: 'query' },
    });
  });

  it('reads table names as SQL does: bare names folded by PostgreSQL, quoted names kept', () => {
    expect(parseSqlRead('postgres', 'People')).toEqual({
      ok: true,
      read: { kind: 'table', parts: ['people'] },
    });
    expect(parseSqlRead('postgres', 'crm."Mixed Case"')).toEqual({
      ok: true,
      read: { kind: 'table', parts: ['crm', 'Mixed Case'] },
    });
    expect(parseSqlRead('postgres', '"a.b"')).toEqual({ ok: true, read: { kind: 'table', parts: ['a.b'] } });
    expect(parseSqlRead('mysql', 'Shop.Orders')).toEqual({
      ok: true,
      read: { kind: 'table', parts: ['Shop', 'Orders'] },
    });
    expect(parseSqlRead('mysql', '`we``ird`')).toEqual({
      ok: true,
      read: { kind: 'table', parts: ['we`ird'] },
    });
    // Names that merely start like keywords are tables.
    expect(parseSqlRead('postgres', 'selection')).toMatchObject({ read: { kind: 'table' } });
    expect(parseSqlRead('postgres', 'with_items')).toMatchObject({ read: { kind: 'table' } });
  });

  it('refuses what is neither a table name nor a query', () => {
    for (const text of [
      '',
      '   ',
      'DELETE FROM t',
      'drop table t',
      't; DROP TABLE t',
      'a b',
      '"open',
      'a..b',
      'a.b.c.d',
    ])
      expect(parseSqlRead('postgres', text).ok).toBe(false);
    expect(parseSqlRead('mysql', '"people"').ok).toBe(false);
    const refused = parseSqlRead('postgres', 'UPDATE t SET x = 1');
    expect(!refused.ok && refused.reason).toMatch(/neither a table name .* nor a query starting with SELECT/);
  });
});

describe('pageStatement', () => {
  const table = { kind: 'table', parts: ['crm', 'people'] } as const;
  const query = { kind: 'query', sql: 'SELECT * FROM t WHERE a = 1' } as const;

  it('pages a table on its quoted key, a parameter after the first page', () => {
    expect(pageStatement('postgres', table, 'id', { after: false, limit: 1001 })).toBe(
      'SELECT * FROM "crm"."people" WHERE "id" IS NOT NULL ORDER BY "id" LIMIT 1001',
    );
    expect(pageStatement('postgres', table, 'id', { after: true, limit: 1001 })).toBe(
      'SELECT * FROM "crm"."people" WHERE "id" > $1 ORDER BY "id" LIMIT 1001',
    );
    expect(pageStatement('mysql', table, 'Code', { after: true, limit: 6 })).toBe(
      'SELECT * FROM `crm`.`people` WHERE `Code` > ? ORDER BY `Code` LIMIT 6',
    );
  });

  it('adds the incremental range after the key, both bounds parameters and inclusive', () => {
    const range = { column: 'updated_at', lower: true, upper: true };
    expect(pageStatement('postgres', table, 'id', { after: true, limit: 26, range })).toBe(
      'SELECT * FROM "crm"."people" WHERE "id" > $1 AND "updated_at" >= $2 AND "updated_at" <= $3 ORDER BY "id" LIMIT 26',
    );
    expect(
      pageStatement('mysql', table, 'id', { after: false, limit: 26, range: { ...range, upper: false } }),
    ).toBe(
      'SELECT * FROM `crm`.`people` WHERE `id` IS NOT NULL AND `updated_at` >= ? ORDER BY `id` LIMIT 26',
    );
    expect(upperBoundStatement('postgres', query, 'Updated')).toBe(
      'SELECT max("Updated") AS upper_bound FROM (SELECT * FROM t WHERE a = 1\n) q',
    );
  });

  it('wraps a query as a derived table', () => {
    expect(pageStatement('postgres', query, 'id', { after: true, limit: 10 })).toBe(
      'SELECT * FROM (SELECT * FROM t WHERE a = 1\n) q WHERE "id" > $1 ORDER BY "id" LIMIT 10',
    );
  });

  it('refuses a limit that is not a positive whole number', () => {
    for (const limit of [0, -1, 1.5, Number.NaN]) {
      expect(() => pageStatement('mysql', table, 'id', { after: false, limit })).toThrow(/page size/);
    }
  });
});

describe('beginReadOnly and describeDatabase', () => {
  it('opens a read-only transaction in each dialect', () => {
    expect(beginReadOnly('postgres')).toBe('BEGIN TRANSACTION READ ONLY');
    expect(beginReadOnly('mysql')).toBe('START TRANSACTION READ ONLY');
  });

  it('names the database without credentials', () => {
    expect(
      describeDatabase({ dialect: 'mysql', host: 'db.example.test', port: 3306, database: 'shop' }),
    ).toBe('mysql://db.example.test:3306/shop');
    expect(describeDatabase({ dialect: 'postgres', host: '::1', port: 5432, database: 'x' })).toBe(
      'postgres://[::1]:5432/x',
    );
  });
});
