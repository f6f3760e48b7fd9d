// PostgreSQL's refusals of a value name no column: the row's values say which.
import { describe, expect, it } from 'vitest';
import { refusedColumns, withRefusedColumn } from '@/server/sync/targets/sql-refused-column';

const row = [
  { column: 'name', param: 'Ann', text: true },
  { column: 'city', param: 'Amsterdam', text: true },
  { column: 'stock', param: 70000, text: false },
  { column: 'since', param: 'soon', text: false },
  { column: 'note', param: null, text: true },
];
const refused = (words: string) => `the table refused the row: ${words}`;

describe('refusedColumns', () => {
  it('finds a value too long by its length in characters, not bytes', () => {
    expect(refusedColumns(refused('value too long for type character varying(5)'), row)).toEqual(['city']);
    expect(refusedColumns(refused('value too long for type character(3)'), row)).toEqual(['city']);
    const emoji = [{ column: 'e', param: '😀😀😀', text: true }];
    expect(refusedColumns(refused('value too long for type character varying(3)'), emoji)).toEqual([]);
  });

  it('finds a quoted value', () => {
    expect(refusedColumns(refused('value "70000" is out of range for type smallint'), row)).toEqual([
      'stock',
    ]);
    expect(refusedColumns(refused('invalid input syntax for type date: "soon"'), row)).toEqual(['since']);
    expect(refusedColumns(refused('invalid input value for enum mood: "soon"'), row)).toEqual(['since']);
  });

  it('finds nothing where the words say nothing of the value', () => {
    expect(refusedColumns(refused('numeric field overflow (A field with precision 3 …)'), row)).toEqual([]);
  });
});

describe('withRefusedColumn', () => {
  it('adds the column, and leaves words that name one as they are', () => {
    expect(withRefusedColumn(refused('invalid input syntax for type date: "soon"'), row)).toBe(
      refused('invalid input syntax for type date: "soon" — in column "since"'),
    );
    const named = refused('null value in column "name" violates not-null constraint');
    expect(withRefusedColumn(named, row)).toBe(named);
    const both = [
      { column: 'a', param: 'soon', text: false },
      { column: 'b', param: 'soon', text: false },
    ];
    expect(withRefusedColumn(refused('invalid input syntax for type date: "soon"'), both)).toMatch(
      /in columns "a", "b"$/,
    );
  });
});
