// The form generated from a register schema: which properties become which fields, and how a field's
// text becomes the object's value (an empty field removes the property; a bad number stays text, so
// the server names the problem at the field).
import { describe, expect, it } from 'vitest';
import {
  fieldText,
  fieldValue,
  formFields,
  otherProperties,
  withField,
} from '@/app/o/[slug]/registers/_lib/object-form';

const schema = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', title: 'Full name', description: 'As on the passport' },
    age: { type: 'integer' },
    price: { type: ['number', 'null'] },
    active: { type: 'boolean' },
    status: { enum: ['open', 'closed', 3] },
    address: { type: 'object' },
    tags: { type: 'array' },
  },
};

describe('formFields', () => {
  it('makes fields of the flat properties, in order, and leaves nested ones to the JSON editor', () => {
    const fields = formFields(schema);
    expect(fields.map((f) => [f.name, f.kind, f.label, f.required])).toEqual([
      ['name', 'text', 'Full name', true],
      ['age', 'integer', 'age', false],
      ['price', 'number', 'price', false],
      ['active', 'boolean', 'active', false],
      ['status', 'choice', 'status', false],
    ]);
    expect(fields[0]?.description).toBe('As on the passport');
    expect(fields[4]?.options).toEqual(['open', 'closed', 3]);
    expect(otherProperties({ name: 'A', address: {}, extra: 1 }, fields)).toEqual(['address', 'extra']);
  });

  it('makes no fields of a schema without properties', () => {
    expect(formFields({ type: 'object' })).toEqual([]);
  });
});

describe('field values', () => {
  const [name, age, , active, status] = formFields(schema);

  it('turns text into values and back', () => {
    expect(fieldValue(age!, '42')).toBe(42);
    expect(fieldValue(age!, '4x')).toBe('4x');
    expect(fieldValue(active!, 'false')).toBe(false);
    expect(fieldValue(status!, '3')).toBe(3);
    expect(fieldValue(name!, '')).toBeUndefined();
    expect(fieldText(status!, 'open')).toBe('"open"');
    expect(fieldText(age!, 42)).toBe('42');
    expect(fieldText(name!, undefined)).toBe('');
    expect(fieldText(name!, { odd: true })).toBe('{"odd":true}');
  });

  it('sets and removes a property, keeping the others', () => {
    expect(withField({ a: 1, b: 2 }, 'a', 3)).toEqual({ a: 3, b: 2 });
    expect(withField({ a: 1, b: 2 }, 'a', undefined)).toEqual({ b: 2 });
  });
});
