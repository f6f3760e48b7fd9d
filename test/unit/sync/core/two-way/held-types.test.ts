// A value in the types the receiving side holds it in: the same value kept as the side holds it, a
// changed one converted to the side's type when nothing is lost, and everything else left as given.
import { describe, expect, it } from 'vitest';
import { inHeldTypes } from '@/server/sync/core/two-way/held-types';

describe('inHeldTypes: the same value in another type is kept as the side holds it', () => {
  it.each([
    ['a number and its text', '2', 2],
    ['text and its number', 2, '2'],
    ['a decimal column’s scale', '9.50', 9.5],
    ['a negative decimal', '-0.50', -0.5],
    ['zero written -0.0', '-0.0', 0],
    ['a boolean read as 1 (tinyint(1))', 1, true],
    ['a boolean read as 0', 0, false],
    ['a boolean written to text', 'true', true],
    ['1 as text and a boolean', '1', true],
    ['a boolean held as 1', true, 1],
    ['a time read back in UTC', '2024-05-01T10:00:00Z', '2024-05-01T12:00:00.000+02:00'],
    ['a time without its milliseconds', '2024-05-01T10:00:00Z', '2024-05-01T10:00:00.000Z'],
    ['a time without a zone (written in UTC)', '2024-05-01T10:00:00.000000', '2024-05-01T10:00:00Z'],
    ['a time with a space and +00', '2024-05-01 10:00:00+00', '2024-05-01T10:00:00Z'],
    ['a zone written +0530', '2024-05-01T04:30:00Z', '2024-05-01T10:00:00+0530'],
    ['microseconds kept', '2024-05-01T10:00:00.123450Z', '2024-05-01T10:00:00.12345Z'],
    ['null and absent', undefined, null],
  ])('%s', (_, next, held) => {
    expect(inHeldTypes(next, held)).toBe(held);
  });

  it('keeps an object that is the same in every value exactly as the side holds it', () => {
    const held = { id: 1, code: 2, price: 9.5, active: true, note: null, tags: ['a', 3] };
    const next = { id: '1', code: '2', price: '9.50', active: 1, city: null, tags: ['a', '3'] };
    expect(inHeldTypes(next, held)).toEqual(held);
  });

  it('keeps nested objects and arrays of the same length member by member', () => {
    const held = { address: { zip: 2311, city: 'Leiden' }, sizes: [1, 2] };
    expect(inHeldTypes({ address: { zip: '2311', city: 'Delft' }, sizes: ['1', '3'] }, held)).toEqual({
      address: { zip: 2311, city: 'Delft' },
      sizes: [1, 3],
    });
  });
});

describe('inHeldTypes: a changed value takes the side’s type when it converts without loss', () => {
  it.each([
    ['decimal text where a number was held', '3', 2, 3],
    ['decimal text with a scale', '12.25', 9.5, 12.25],
    ['a fraction where a whole number was held', '2.5', 2, 2.5],
    ['a number where its text was held', 3, '2', '3'],
    ['a number where decimal text was held', 12.25, '9.50', '12.25'],
    ['a boolean where 0/1 was held', false, 1, 0],
    ['true/false text where 0/1 was held', 'true', 0, 1],
    ['decimal text where a number 1 was held', '3', 1, 3],
    ['decimal text where a number 0 was held', '2.5', 0, 2.5],
    ['0/1 where a boolean was held', 0, true, false],
    ['text true/false where a boolean was held', 'false', true, false],
    ['a boolean where true/false text was held', false, 'true', 'false'],
    ['a boolean where 1/0 text was held', false, '1', '0'],
  ])('%s', (_, next, held, expected) => {
    expect(inHeldTypes(next, held)).toBe(expected);
  });
});

describe('inHeldTypes: a different value, or one of another kind, is left as given', () => {
  it.each([
    ['text with a leading zero', '02', 2],
    ['a decimal too long for a JSON number', '12345678901234567890', 1],
    ['a boolean where a quantity was held', true, 5],
    ['a quantity where a boolean was held', 5, true],
    ['text that is not a number', 'abc', 2],
    ['a number where other text was held', 7, 'abc'],
    ['two decimal texts (a text column, no scale)', '9.5', '9.50'],
    ['another instant', '2024-05-01T10:00:01Z', '2024-05-01T10:00:00Z'],
    ['a date without a time', '2024-05-01', '2024-05-01T00:00:00Z'],
    ['a value the side does not hold', '2', undefined],
    ['a value where the side holds null', '2', null],
    ['null where the side holds a value', null, 2],
    ['an object where a value was held', { a: 1 }, 1],
  ])('%s', (_, next, held) => {
    expect(inHeldTypes(next, held)).toEqual(next);
  });

  it('leaves arrays of another length as given', () => {
    expect(inHeldTypes(['1', '2', '3'], [1, 2])).toEqual(['1', '2', '3']);
  });

  it('adds no member the side holds as null when asked not to (an object to write)', () => {
    expect(inHeldTypes({ code: '2' }, { code: 2, department: null }, false)).toEqual({ code: 2 });
    expect(inHeldTypes({ a: { b: '1' } }, { a: { b: 1, c: null } }, false)).toEqual({ a: { b: 1 } });
  });

  it('keeps members the side does not hold as given, and drops none of them', () => {
    expect(inHeldTypes({ code: '2', added: '7' }, { code: 2 })).toEqual({ code: 2, added: '7' });
  });
});
