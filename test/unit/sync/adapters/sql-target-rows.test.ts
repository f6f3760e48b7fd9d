// An object as the row an SQL target writes (columns, key, target id, hash), each value as its column
// takes it, write errors classed, and the CREATE TABLE made from a register schema.
import { describe, expect, it } from 'vitest';
import { sqlTargetConfigSchema } from '@/server/sync/config/sync-config';
import { hashValue } from '@/server/sync/core/canonical-json';
import {
  zonelessDateTime,
  fractionRefusal,
  mysqlKind,
  postgresKind,
  toParam,
  type TableColumn,
} from '@/server/sync/targets/sql-columns';
import { tableDdl } from '@/server/sync/targets/sql-ddl';
import { keyOfTargetId, prepareRow, targetIdOf } from '@/server/sync/targets/sql-rows';
import { classifyWriteError, describeWriteError } from '@/server/sync/targets/sql-write-errors';

const column = (name: string, kind: TableColumn['kind'] = 'text'): [string, TableColumn] => [
  name,
  { name, kind, type: kind },
];
const TABLE = new Map([
  column('id', 'number'),
  column('name'),
  column('tags', 'json'),
  column('deleted', 'bool'),
]);
const config = (input: Record<string, unknown> = {}) =>
  sqlTargetConfigSchema.parse({ table: 'people', ...input });

describe('prepareRow', () => {
  it('writes every field as its column, the key as the target id and the engine’s hash', () => {
    const row = prepareRow(
      { originId: 'o1', object: { name: 'Ann', id: 7 }, hash: 'h' },
      config(),
      TABLE,
      'people',
    );
    expect(row).toEqual({
      originId: 'o1',
      columns: ['id', 'name'],
      values: [7, 'Ann'],
      key: [7],
      targetId: '7',
      hash: 'h',
    });
  });

  it('chosen columns take fields by path (missing → NULL) and hash what is written', () => {
    const row = prepareRow(
      { originId: 'o1', object: { person: { name: 'Ann' }, id: 7, extra: 1 }, hash: 'h' },
      config({ columns: { id: 'id', name: 'person.name', tags: 'labels' } }),
      TABLE,
      'people',
    );
    expect(row).toMatchObject({ columns: ['id', 'name', 'tags'], values: [7, 'Ann', null] });
    expect((row as { hash: string }).hash).toBe(hashValue({ id: 7, name: 'Ann', tags: null }));
  });

  it('adds the soft delete column’s active value, so a row that comes back is no longer marked', () => {
    const row = prepareRow(
      { originId: 'o1', object: { id: 1 } },
      config({ softDelete: { column: 'deleted', activeValue: false } }),
      TABLE,
      'people',
    );
    expect(row).toMatchObject({ columns: ['deleted', 'id'], values: [false, 1] });
  });

  it('refuses an object without a key value, or with a field the table has no column for', () => {
    expect(prepareRow({ originId: 'o1', object: { name: 'Ann' } }, config(), TABLE, 'people')).toEqual({
      originId: 'o1',
      ok: false,
      reason: 'the key column "id" has no value in this object',
    });
    expect(
      prepareRow({ originId: 'o2', object: { id: 1, email: 'x' } }, config(), TABLE, 'people'),
    ).toMatchObject({
      ok: false,
      reason: expect.stringContaining('the table people has no column for the field "email"'),
    });
  });

  it('a key the database gives: a create leaves it out, an update finds its row by the contract’s key', () => {
    const generated = new Map([
      ...TABLE,
      ['id', { name: 'id', kind: 'number', type: 'int4', generated: true }],
    ]);
    const object = { name: 'Ann' };
    const create = prepareRow({ originId: 'o1', object }, config(), generated, 'people');
    expect(create).toEqual({
      originId: 'o1',
      columns: ['name'],
      values: ['Ann'],
      key: null,
      hash: hashValue(object),
    });
    const update = prepareRow({ originId: 'o1', object, targetId: '42' }, config(), generated, 'people');
    // The same hash as its create's: the key put back is not part of what the object says.
    expect(update).toEqual({
      originId: 'o1',
      columns: ['id', 'name'],
      values: ['42', 'Ann'],
      key: ['42'],
      targetId: '42',
      hash: hashValue(object),
    });
    // A key the object carries is written as given; a key the database does not fill is still required.
    expect(
      prepareRow({ originId: 'o1', object: { id: 7, name: 'Ann' } }, config(), generated, 'people'),
    ).toMatchObject({
      key: [7],
      targetId: '7',
    });
    expect(prepareRow({ originId: 'o1', object }, config(), TABLE, 'people')).toMatchObject({
      ok: false,
      reason: 'the key column "id" has no value in this object',
    });
  });

  it('target ids of several key columns are JSON arrays and read back', () => {
    expect(targetIdOf(['a', 2])).toBe('["a",2]');
    expect(keyOfTargetId('["a",2]', 2)).toEqual(['a', 2]);
    expect(keyOfTargetId('x', 2)).toBeNull();
    expect(keyOfTargetId('42', 1)).toEqual(['42']);
  });
});

describe('fractionRefusal', () => {
  const int = { name: 'qty', kind: 'number' as const, type: 'int4' };
  it('refuses a fraction for a whole-number column, numbers and decimal text alike', () => {
    expect(fractionRefusal(int, 1.5)).toBe('the column "qty" holds whole numbers: 1.5 is not one');
    expect(fractionRefusal({ ...int, type: 'bigint' }, '2.5')).toMatch(/"2\.5" is not one/);
  });
  it('takes whole numbers, big integer text, and any value for other columns', () => {
    expect(fractionRefusal(int, 2)).toBeNull();
    expect(fractionRefusal(int, '2.0')).toBeNull();
    expect(fractionRefusal(int, '9007199254740993')).toBeNull();
    expect(fractionRefusal(int, null)).toBeNull();
    expect(fractionRefusal({ ...int, type: 'numeric' }, 1.5)).toBeNull();
    expect(fractionRefusal({ ...int, kind: 'bool', type: 'tinyint' }, 1.5)).toBeNull();
  });
});

describe('toParam', () => {
  it('JSON columns take JSON text of any value; text columns take objects as JSON', () => {
    expect(toParam('postgres', { kind: 'json' }, { a: [1] })).toBe('{"a":[1]}');
    expect(toParam('postgres', { kind: 'json' }, 'text')).toBe('"text"');
    expect(toParam('mysql', { kind: 'text' }, [1, 2])).toBe('[1,2]');
    expect(toParam('postgres', { kind: 'array' }, [1, 2])).toEqual([1, 2]);
    expect(toParam('postgres', { kind: 'json' }, null)).toBeNull();
  });

  it('booleans: 1/0 for numbers and MySQL booleans, words for text', () => {
    expect(toParam('mysql', { kind: 'bool' }, true)).toBe(1);
    expect(toParam('postgres', { kind: 'bool' }, false)).toBe(false);
    expect(toParam('postgres', { kind: 'text' }, true)).toBe('true');
    expect(toParam('postgres', { kind: 'number' }, true)).toBe(1);
    expect(toParam('postgres', { kind: 'number' }, false)).toBe(0);
  });

  it('ISO date-times become MySQL date-times in UTC, keeping their fraction', () => {
    expect(toParam('mysql', { kind: 'timestamp' }, '2024-05-01T12:30:00.123456+02:00')).toBe(
      '2024-05-01 10:30:00.123456',
    );
    expect(zonelessDateTime('2024-05-01T10:00:00Z', false)).toBe('2024-05-01 10:00:00');
    expect(zonelessDateTime('2024-05-01T10:00:00', false)).toBe('2024-05-01 10:00:00');
    // A date column takes the date as written (as PostgreSQL's does), not the UTC day.
    expect(zonelessDateTime('2024-05-01T23:30:00-02:00', true)).toBe('2024-05-01');
    expect(zonelessDateTime('2024-05-01', true)).toBe('2024-05-01');
    expect(zonelessDateTime('not a date', false)).toBe('not a date');
    expect(toParam('postgres', { kind: 'timestamp' }, '2024-05-01T10:00:00Z')).toBe('2024-05-01T10:00:00Z');
    // PostgreSQL's `timestamp` keeps no zone: the moment in UTC; `timestamptz` keeps the offset itself.
    expect(toParam('postgres', { kind: 'timestamp', type: 'timestamp' }, '2024-05-01T12:30:00.5+02:00')).toBe(
      '2024-05-01 10:30:00.5',
    );
    expect(toParam('postgres', { kind: 'timestamp', type: 'timestamptz' }, '2024-05-01T12:30:00+02:00')).toBe(
      '2024-05-01T12:30:00+02:00',
    );
  });

  it('base64 into binary columns', () => {
    expect(toParam('postgres', { kind: 'bytes' }, 'AAEC')).toEqual(Buffer.from([0, 1, 2]));
  });

  it('reads column kinds from the database’s type names', () => {
    expect(postgresKind('jsonb', 'U')).toBe('json');
    expect(postgresKind('_int4', 'A')).toBe('array');
    expect(mysqlKind('longtext', 'longtext')).toBe('text');
    expect(mysqlKind('tinyint', 'tinyint(1)')).toBe('bool');
    expect(mysqlKind('DATETIME', 'datetime(6)')).toBe('timestamp');
  });
});

describe('classifyWriteError', () => {
  it.each([
    [{ code: '23502' }, 'row'],
    [{ code: '23514' }, 'row'],
    [{ code: '22P02' }, 'row'],
    [{ code: '40P01' }, 'transient'],
    [{ code: '40001' }, 'transient'],
    [{ code: '57014' }, 'transient'],
    [{ code: '42P01' }, 'fatal'],
    [{ code: 'ECONNRESET' }, 'fatal'],
    [{ errno: 1048, code: 'ER_BAD_NULL_ERROR' }, 'row'],
    [{ errno: 4025, code: 'ER_CONSTRAINT_FAILED' }, 'row'],
    [{ errno: 1213, code: 'ER_LOCK_DEADLOCK' }, 'transient'],
    [{ errno: 1146, code: 'ER_NO_SUCH_TABLE' }, 'fatal'],
    [{ errno: -104, code: 'ECONNRESET' }, 'fatal'],
  ])('%o is %s', (error, expected) => {
    expect(classifyWriteError(error)).toBe(expected);
  });
});

describe('describeWriteError', () => {
  it('says what to grant for writing, and otherwise speaks as the SQL source does', () => {
    expect(describeWriteError({ code: '42501', message: 'permission denied for table people' })).toBe(
      'the database user may not write to the table (permission denied for table people); grant it ' +
        'SELECT, INSERT, UPDATE and DELETE on the table, or give the target source another user',
    );
    expect(describeWriteError({ code: '42P01', message: 'relation "x" does not exist' })).toMatch(
      /^a table in the synchronisation’s table or query does not exist/,
    );
  });
});

describe('tableDdl', () => {
  const schema = {
    type: 'object',
    required: ['name'],
    properties: {
      name: { type: 'string' },
      code: { type: 'string', maxLength: 20 },
      born: { type: 'string', format: 'date' },
      seen: { type: ['string', 'null'], format: 'date-time' },
      age: { type: 'integer' },
      score: { type: 'number' },
      active: { type: 'boolean' },
      tags: { type: 'array', items: { type: 'string' } },
    },
  };

  it('PostgreSQL: a column per property, the key first and the primary key', () => {
    expect(tableDdl('postgres', ['crm', 'people'], schema, ['id']).statement).toBe(
      [
        'CREATE TABLE "crm"."people" (',
        '  "id" text NOT NULL,',
        '  "name" text NOT NULL,',
        '  "code" varchar(20),',
        '  "born" date,',
        '  "seen" timestamptz,',
        '  "age" bigint,',
        '  "score" double precision,',
        '  "active" boolean,',
        '  "tags" jsonb,',
        '  PRIMARY KEY ("id")',
        ')',
      ].join('\n'),
    );
  });

  it('a required property that admits null takes NULL: required says only that it is present', () => {
    const nullable = {
      type: 'object',
      required: ['a', 'b', 'c', 'd', 'e'],
      properties: {
        a: { type: ['string', 'null'] },
        b: { type: 'string', nullable: true },
        c: { enum: ['x', null] },
        d: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
        e: { type: 'string' },
      },
    };
    const { columns } = tableDdl('postgres', ['t'], nullable, ['id']);
    expect(columns.map((c) => [c.name, c.notNull])).toEqual([
      ['id', true],
      ['a', false],
      ['b', false],
      ['c', false],
      ['d', false],
      ['e', true],
    ]);
  });

  it('MySQL: bounded key text, datetime(6) and json', () => {
    const { statement, columns } = tableDdl('mysql', ['people'], schema, ['name']);
    expect(columns[0]).toEqual({ name: 'name', type: 'varchar(255)', notNull: true });
    expect(statement).toContain('`seen` datetime(6),');
    expect(statement).toContain('`tags` json,');
    expect(statement).toContain('PRIMARY KEY (`name`)');
  });
});
