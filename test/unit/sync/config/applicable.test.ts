// Which synchronisation settings each kind of source reads: the form shows only those, and the API
// refuses the rest when they carry a value (a page cap for a file, a results position for a CSV file).
// And when a synchronisation can be two-way.
import { describe, expect, it } from 'vitest';
import {
  onlyRead,
  readsSetting,
  settingsNotRead,
  sourceKindOf,
  twoWayNotPossible,
  twoWayPossible,
  type SourceKind,
} from '@/server/sync/config/applicable';

const REST: SourceKind = { type: 'rest' };
const CSV: SourceKind = { type: 'file', format: 'csv' };
const JSON_FILE: SourceKind = { type: 'file', format: 'json' };
const REGISTER: SourceKind = { type: 'register' };
const SQL: SourceKind = { type: 'sql' };

describe('settings by kind of source', () => {
  it('reads a page cap only where there are pages to count: REST and SQL', () => {
    expect([REST, SQL, CSV, JSON_FILE, REGISTER].map((k) => readsSetting(k, 'maxPages'))).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('reads a results position in REST responses and JSON or XML files, not in CSV, registers or SQL', () => {
    expect([REST, JSON_FILE, CSV, REGISTER, SQL].map((k) => readsSetting(k, 'resultsPosition'))).toEqual([
      true,
      true,
      false,
      false,
      false,
    ]);
  });

  it('reads pagination, query and headers for REST only, and the key column for SQL only', () => {
    for (const kind of [CSV, REGISTER, SQL]) {
      expect(readsSetting(kind, 'pagination')).toBe(false);
      expect(readsSetting(kind, 'headers')).toBe(false);
    }
    expect(readsSetting(SQL, 'sql')).toBe(true);
    expect(readsSetting(REST, 'sql')).toBe(false);
    for (const kind of [REST, CSV, REGISTER, SQL]) expect(readsSetting(kind, 'hashFields')).toBe(true);
  });

  it('refuses only settings given a value, and saves only what the source reads', () => {
    expect(
      settingsNotRead(REGISTER, {
        maxPages: 20,
        resultsPosition: null,
        pagination: { kind: 'auto' },
        query: {},
        sourceIdField: 'id',
      }),
    ).toEqual([
      {
        field: 'sourceConfig.maxPages',
        message: 'Max pages does not apply to a register source: every object of the schema is read.',
      },
    ]);
    expect(settingsNotRead(SQL, { pagination: { kind: 'offset' } })).toEqual([
      {
        field: 'sourceConfig.pagination',
        message: 'Pagination settings apply only to REST sources, not to an SQL source.',
      },
    ]);
    expect(
      onlyRead(CSV, { maxPages: 50, resultsPosition: null, sourceIdField: 'id', pagination: {} }),
    ).toEqual({
      sourceIdField: 'id',
    });
  });

  it('takes a file source’s format from its saved settings', () => {
    expect(sourceKindOf({ type: 'file', config: { format: 'csv' } })).toEqual(CSV);
    expect(sourceKindOf({ type: 'rest', config: { baseUrl: 'https://x.test' } })).toEqual({
      ...REST,
      format: null,
    });
  });
});

describe('two-way', () => {
  it('is possible from a REST or SQL source into a register schema only', () => {
    expect([REST, SQL, CSV, REGISTER].map((k) => twoWayPossible(k, 'register'))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(twoWayPossible(REST, 'source')).toBe(false);
    expect(twoWayNotPossible(REGISTER, 'source').map((p) => p.field)).toEqual(['sourceId', 'targetType']);
  });
});
