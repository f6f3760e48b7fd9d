// The pure halves of two forms: a register schema inferred from samples, and the bench's findings of
// a mapped object against a schema, placed at the output field (nested ones too).
import { describe, expect, it } from 'vitest';
import { fieldOfPointer, schemaFindings } from '@/server/services/schema-check';
import { inferSchema } from '@/server/sync/core/infer-schema';

describe('inferSchema', () => {
  it('types fields, requires those every sample has, and finds formats in nested objects and lists', () => {
    const schema = inferSchema([
      {
        id: 1,
        price: 10,
        email: 'a@b.test',
        day: '2024-01-02',
        tags: ['x'],
        owner: { site: 'https://a.test' },
      },
      {
        id: 2,
        price: 10.5,
        email: 'c@d.test',
        day: '2024-02-03',
        tags: [],
        owner: { site: 'https://b.test' },
        note: null,
      },
      {
        id: 3,
        price: 7,
        email: 'e@f.test',
        day: null,
        tags: ['y', 'z'],
        owner: { site: 'https://c.test', since: 2001 },
        mixed: 'x',
      },
    ]);
    expect(schema.required).toEqual(['id', 'price', 'email', 'tags', 'owner']);
    expect(schema.properties).toEqual({
      id: { type: 'integer' },
      price: { type: 'number' },
      email: { type: 'string', format: 'email' },
      day: { type: ['string', 'null'], format: 'date' },
      tags: { type: 'array', items: { type: 'string' } },
      owner: {
        type: 'object',
        properties: { site: { type: 'string', format: 'uri' }, since: { type: 'integer' } },
        required: ['site'],
      },
      note: {},
      mixed: { type: 'string' },
    });
  });
});

describe('schemaFindings', () => {
  const schema = {
    type: 'object',
    properties: {
      lines: { type: 'array', items: { type: 'object', properties: { qty: { type: 'integer' } } } },
      at: { type: 'string', format: 'date-time' },
    },
  };

  it('places a nested problem at its mapping path, with the cast that fixes it', () => {
    const findings = schemaFindings(schema, { lines: [{ qty: 1 }, { qty: '2' }], at: 'tomorrow' });
    expect(findings.map((f) => f.field)).toEqual(['lines[1].qty', 'at']);
    expect(findings[0]!.message).toMatch(
      /the text "2", but the schema wants a whole number\. Add the cast “int”/,
    );
    expect(findings[1]!.message).toMatch(/not a date-time\. Add the cast “datetime”/);
  });

  it('reads JSON pointers as mapping keys', () => {
    expect(fieldOfPointer('')).toBe('');
    expect(fieldOfPointer('/a~1b/0/c')).toBe('a/b[0].c');
  });
});
