// The pure part of discovery: fields typed from sample objects, the register schema and the starting
// mapping of a data type, escaped field names, and suffixes for names that are taken.
import { describe, expect, it } from 'vitest';
import { applyMapping, compileMapping } from '@/server/sync/core';
import {
  escapePath,
  fieldsFromSamples,
  freeName,
  identityMapping,
  jsonSchemaOf,
  type DataType,
} from '@/server/sync/core/discover';
import { checkJsonSchema, compileObjectValidator } from '@/server/services/json-schema';

const customers: DataType = {
  name: 'customers',
  kind: 'table',
  endpoint: 'public.customers',
  idField: 'id',
  problem: null,
  fields: [
    { name: 'id', type: 'integer', nullable: false, key: true, sourceType: 'integer' },
    { name: 'name', type: 'string', nullable: false, key: false, sourceType: 'text' },
    { name: 'joined', type: 'string', format: 'date-time', nullable: true, key: false },
    { name: 'extra', type: 'any', nullable: true, key: false, sourceType: 'jsonb' },
    { name: 'price.eur', type: 'string', nullable: true, key: false },
  ],
};

describe('fieldsFromSamples', () => {
  it('types each field and marks those missing or null in some sample as nullable', () => {
    const fields = fieldsFromSamples(
      [
        { id: 1, n: 1, tags: ['a'], gone: null },
        { id: 2, n: 2.5, tags: [], extra: true, gone: null },
      ],
      'id',
    );
    expect(fields).toEqual([
      { name: 'id', type: 'integer', nullable: false, key: true },
      { name: 'n', type: 'number', nullable: false, key: false },
      { name: 'tags', type: 'array', nullable: false, key: false },
      { name: 'gone', type: 'any', nullable: true, key: false },
      { name: 'extra', type: 'boolean', nullable: true, key: false },
    ]);
  });

  it("marks a REST API's id field as given by the source, which gives new objects their ids", () => {
    const samples = [{ id: 1, name: 'Ada' }];
    expect(fieldsFromSamples(samples, 'id', { idGivenBySource: true })).toEqual([
      { name: 'id', type: 'integer', nullable: false, key: true, givenBySource: true },
      { name: 'name', type: 'string', nullable: false, key: false },
    ]);
    // A file's rows: the id is the file's, nothing gives it.
    expect(fieldsFromSamples(samples, 'id')[0]).toEqual({
      name: 'id',
      type: 'integer',
      nullable: false,
      key: true,
    });
  });

  it('makes a field of mixed types any', () => {
    expect(fieldsFromSamples([{ v: 'a' }, { v: 1 }], null)[0]).toMatchObject({ type: 'any' });
  });
});

describe('jsonSchemaOf', () => {
  const schema = jsonSchemaOf(customers, 'Shop');

  it('is a usable JSON Schema with NOT NULL columns required and the key named', () => {
    expect(checkJsonSchema(schema)).toEqual([]);
    expect(schema).toMatchObject({
      required: ['id', 'name'],
      'x-concord-key': ['id'],
      properties: {
        id: { type: 'integer', description: 'integer, key' },
        joined: { type: ['string', 'null'], format: 'date-time' },
        extra: { description: 'jsonb' },
      },
    });
  });

  it('accepts the rows a synchronisation reads and refuses a row without a required column', () => {
    const check = compileObjectValidator(schema);
    expect(check({ id: 1, name: 'Ada', joined: null, extra: { a: 1 }, 'price.eur': '1.50' })).toEqual({
      ok: true,
    });
    expect(check({ id: 1, name: 'Ada', joined: '2024-05-01T10:00:00.123456Z' })).toEqual({ ok: true });
    expect(check({ id: 2, joined: null }).ok).toBe(false);
  });
});

describe('jsonSchemaOf, fields the source gives', () => {
  it('does not require a value the source gives a new object (a generated key, a default)', () => {
    const given: DataType = {
      ...customers,
      fields: customers.fields.map((f) => (f.name === 'id' ? { ...f, givenBySource: true } : f)),
    };
    const schema = jsonSchemaOf(given, 'Shop');
    expect(schema).toMatchObject({
      required: ['name'],
      'x-concord-key': ['id'],
      properties: { id: { type: 'integer', description: 'integer, key' } },
    });
    const check = compileObjectValidator(schema);
    expect(check({ name: 'Ada' })).toEqual({ ok: true });
    expect(check({ id: 'one', name: 'Ada' }).ok).toBe(false);
  });
});

describe('identityMapping', () => {
  it('copies every field under its own name, also names with dots', () => {
    const compiled = compileMapping(identityMapping(customers));
    if (!compiled.ok) throw new Error(JSON.stringify(compiled.problems));
    const row = { id: 1, name: 'Ada', joined: null, extra: [1], 'price.eur': '1.50' };
    const outcome = applyMapping(compiled.mapping, row);
    expect(outcome.ok && outcome.value).toEqual(row);
  });

  it('escapes what a mapping would read as a literal, a template or a path', () => {
    expect(escapePath('a.b')).toBe('a\\.b');
    expect(escapePath('=x')).toBe('\\=x');
    expect(escapePath('{{y}}')).toBe('\\{\\{y\\}\\}');
    expect(escapePath('c[0]')).toBe('c\\[0\\]');
  });
});

describe('freeName', () => {
  it('keeps a free name and suffixes a taken one, ignoring case', () => {
    expect(freeName('Shop', ['Other'])).toBe('Shop');
    expect(freeName('Shop', ['shop'])).toBe('Shop (2)');
    expect(freeName('Shop', ['Shop', 'Shop (2)'])).toBe('Shop (3)');
    expect(freeName('x'.repeat(100), ['x'.repeat(100)])).toBe(`${'x'.repeat(96)} (2)`);
  });
});
