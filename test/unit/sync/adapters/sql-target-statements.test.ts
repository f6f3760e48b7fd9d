// The SQL target's statements: multi-row upserts that skip identical rows (PostgreSQL) or rely on
// ON DUPLICATE KEY UPDATE (MySQL), insert only, the key lookups of update only, hard and soft deletes —
// every value a placeholder, every name quoted.
import { describe, expect, it } from 'vitest';
import {
  deleteStatement,
  existingKeysStatement,
  insertGeneratedStatement,
  quoteTable,
  rowsHoldingStatement,
  rowsPerStatement,
  softDeleteStatement,
  updateByKeyStatement,
  upsertStatement,
} from '@/server/sync/targets/sql-statements';

describe('upsertStatement', () => {
  const base = { columns: ['id', 'name', 'tags'], keys: ['id'], rows: 2, onConflict: 'update' as const };

  it('PostgreSQL: writes a conflicting row only when it differs', () => {
    expect(upsertStatement({ ...base, dialect: 'postgres', table: '"crm"."people"' })).toBe(
      'INSERT INTO "crm"."people" AS t ("id", "name", "tags") VALUES ($1, $2, $3), ($4, $5, $6) ' +
        'ON CONFLICT ("id") DO UPDATE SET "name" = EXCLUDED."name", "tags" = EXCLUDED."tags" ' +
        'WHERE ROW(t."name", t."tags") IS DISTINCT FROM ROW(EXCLUDED."name", EXCLUDED."tags")',
    );
  });

  it('PostgreSQL: compares json columns (no equality operator) as text', () => {
    const sql = upsertStatement({
      ...base,
      dialect: 'postgres',
      table: '"p"',
      compareAsText: new Set(['tags']),
    });
    expect(sql).toContain(
      'ROW(t."name", t."tags"::text) IS DISTINCT FROM ROW(EXCLUDED."name", EXCLUDED."tags"::text)',
    );
  });

  it('PostgreSQL: insert only does nothing on a conflict, as does a row of key columns alone', () => {
    expect(upsertStatement({ ...base, dialect: 'postgres', table: '"p"', onConflict: 'nothing' })).toMatch(
      / ON CONFLICT \("id"\) DO NOTHING$/,
    );
    expect(upsertStatement({ ...base, dialect: 'postgres', table: '"p"', columns: ['id'] })).toMatch(
      /VALUES \(\$1\), \(\$2\) ON CONFLICT \("id"\) DO NOTHING$/,
    );
  });

  it('MySQL: ON DUPLICATE KEY UPDATE with VALUES(), a no-op assignment for insert only', () => {
    expect(upsertStatement({ ...base, dialect: 'mysql', table: '`people`' })).toBe(
      'INSERT INTO `people` (`id`, `name`, `tags`) VALUES (?, ?, ?), (?, ?, ?) ' +
        'ON DUPLICATE KEY UPDATE `name` = VALUES(`name`), `tags` = VALUES(`tags`)',
    );
    expect(upsertStatement({ ...base, dialect: 'mysql', table: '`people`', onConflict: 'nothing' })).toMatch(
      / ON DUPLICATE KEY UPDATE `id` = `id`$/,
    );
  });

  it('a create at a key it must not take: a plain INSERT, which an existing row fails', () => {
    expect(upsertStatement({ ...base, dialect: 'postgres', table: '"p"', onConflict: 'fail' })).toBe(
      'INSERT INTO "p" AS t ("id", "name", "tags") VALUES ($1, $2, $3), ($4, $5, $6)',
    );
    expect(upsertStatement({ ...base, dialect: 'mysql', table: '`p`', onConflict: 'fail' })).toBe(
      'INSERT INTO `p` (`id`, `name`, `tags`) VALUES (?, ?, ?), (?, ?, ?)',
    );
  });

  it('quotes names that would otherwise be SQL', () => {
    const sql = upsertStatement({
      dialect: 'postgres',
      table: quoteTable('postgres', ['we"ird', 'ta ble']),
      columns: ['k', 'x"); DROP TABLE p; --'],
      keys: ['k'],
      rows: 1,
      onConflict: 'update',
    });
    expect(sql).toContain('INSERT INTO "we""ird"."ta ble" AS t ("k", "x""); DROP TABLE p; --")');
  });
});

describe('keyed statements', () => {
  it('one key column: IN with one placeholder per row', () => {
    expect(deleteStatement({ dialect: 'postgres', table: '"p"', keys: ['id'], rows: 3 })).toBe(
      'DELETE FROM "p" WHERE "id" IN ($1, $2, $3)',
    );
    expect(existingKeysStatement({ dialect: 'mysql', table: '`p`', keys: ['id'], rows: 2 })).toBe(
      'SELECT `id` FROM `p` WHERE `id` IN (?, ?) FOR UPDATE',
    );
    // A create's look at its key: no lock (no gap locks on MySQL).
    expect(
      existingKeysStatement({ dialect: 'mysql', table: '`p`', keys: ['id'], rows: 1, lock: false }),
    ).toBe('SELECT `id` FROM `p` WHERE `id` IN (?)');
  });

  it('several key columns: row constructors', () => {
    expect(deleteStatement({ dialect: 'postgres', table: '"p"', keys: ['a', 'b'], rows: 2 })).toBe(
      'DELETE FROM "p" WHERE ("a", "b") IN (($1, $2), ($3, $4))',
    );
  });

  it('soft delete: the value first, and a row already marked is left alone', () => {
    expect(
      softDeleteStatement({ dialect: 'postgres', table: '"p"', keys: ['id'], rows: 2, column: 'deleted' }),
    ).toBe('UPDATE "p" SET "deleted" = $1 WHERE "id" IN ($2, $3) AND "deleted" IS DISTINCT FROM $1');
    expect(
      softDeleteStatement({ dialect: 'mysql', table: '`p`', keys: ['id'], rows: 1, column: 'deleted' }),
    ).toBe('UPDATE `p` SET `deleted` = ? WHERE `id` IN (?) AND NOT (`deleted` <=> ?)');
  });
});

describe('updateByKeyStatement', () => {
  it('sets every column, the key among them, on the row found by its old key', () => {
    const shape = { table: '"p"', columns: ['code', 'name'], keys: ['tenant', 'code'] };
    expect(updateByKeyStatement({ ...shape, dialect: 'postgres' })).toBe(
      'UPDATE "p" SET "code" = $1, "name" = $2 WHERE "tenant" = $3 AND "code" = $4',
    );
    expect(updateByKeyStatement({ ...shape, dialect: 'mysql', table: '`p`' })).toBe(
      'UPDATE `p` SET `code` = ?, `name` = ? WHERE `tenant` = ? AND `code` = ?',
    );
  });
});

describe('rows whose key the database gives', () => {
  it('inserts one row without its key: PostgreSQL returns the key, MySQL reports it as the insert id', () => {
    const shape = { table: 't', columns: ['city', 'name'], key: 'id' };
    expect(insertGeneratedStatement({ ...shape, dialect: 'postgres', table: '"t"' })).toBe(
      'INSERT INTO "t" ("city", "name") VALUES ($1, $2) RETURNING "id"',
    );
    expect(insertGeneratedStatement({ ...shape, dialect: 'mysql', table: '`t`' })).toBe(
      'INSERT INTO `t` (`city`, `name`) VALUES (?, ?)',
    );
    expect(insertGeneratedStatement({ ...shape, columns: [], dialect: 'postgres', table: '"t"' })).toBe(
      'INSERT INTO "t" DEFAULT VALUES RETURNING "id"',
    );
  });

  it('writes a GENERATED ALWAYS identity by its key only with OVERRIDING SYSTEM VALUE', () => {
    const sql = upsertStatement({
      dialect: 'postgres',
      table: '"t"',
      columns: ['id', 'name'],
      keys: ['id'],
      rows: 1,
      onConflict: 'update',
      overriding: true,
    });
    expect(sql).toMatch(
      /^INSERT INTO "t" AS t \("id", "name"\) OVERRIDING SYSTEM VALUE VALUES \(\$1, \$2\) ON CONFLICT/,
    );
  });

  it('finds the rows holding every value written, a null as IS NULL, its parameters numbered past it', () => {
    const columns = [
      { name: 'name', isNull: false },
      { name: 'city', isNull: true },
      { name: 'age', isNull: false },
    ];
    expect(rowsHoldingStatement({ dialect: 'postgres', table: '"t"', key: 'id', columns, limit: 100 })).toBe(
      'SELECT "id" FROM "t" WHERE "name" = $1 AND "city" IS NULL AND "age" = $2 LIMIT 100',
    );
    expect(rowsHoldingStatement({ dialect: 'mysql', table: '`t`', key: 'id', columns, limit: 2 })).toBe(
      'SELECT `id` FROM `t` WHERE `name` = ? AND `city` IS NULL AND `age` = ? LIMIT 2',
    );
  });
});

describe('rowsPerStatement', () => {
  it('keeps bound parameters under the servers’ limit and rows per statement bounded', () => {
    expect(rowsPerStatement(3)).toBe(500);
    expect(rowsPerStatement(200)).toBe(150);
    expect(rowsPerStatement(100_000)).toBe(1);
  });
});
