// A register object's problems with its JSON Schema as sentences at the fields the form shows.
import { describe, expect, it } from 'vitest';
import { objectErrors } from '@/server/services/json-schema';
import { objectIssues } from '@/server/services/object-issues';

const schema = {
  type: 'object',
  required: ['name', 'email'],
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    email: { type: 'string' },
    age: { type: 'integer', minimum: 0 },
    'a/b': { type: 'string' },
    address: { type: 'object', properties: { city: { type: 'string' } } },
  },
};
const issues = (value: unknown) => objectIssues(objectErrors(schema, value));

describe('objectIssues', () => {
  it('places a missing required property at its field', () => {
    expect(issues({ name: 'Ada' })).toEqual([{ field: 'data.email', message: '“email” is required.' }]);
  });

  it('places a wrong value at its top-level field, also from deeper down', () => {
    expect(issues({ name: 'Ada', email: 'a@b', age: -1, 'a/b': 3, address: { city: 7 } })).toEqual([
      { field: 'data.age', message: '“age” must be >= 0.' },
      { field: 'data.a/b', message: '“a/b” must be string.' },
      { field: 'data.address', message: '“address.city” must be string.' },
    ]);
  });

  it('names a property the schema does not have, and a value that is no object', () => {
    expect(issues({ name: 'Ada', email: 'a@b', nick: 'A' })).toEqual([
      { field: 'data.nick', message: '“nick” is not a field of this schema.' },
    ]);
    expect(issues([])).toEqual([{ field: 'data', message: 'The object must be object.' }]);
  });

  it('finds nothing wrong with a valid object', () => {
    expect(issues({ name: 'Ada', email: 'a@b' })).toEqual([]);
  });
});
