// MariaDB's JSON columns are told from text by their json_valid check clause.
import { describe, expect, it } from 'vitest';
import { jsonValidColumn, mariaDbJsonColumns } from '@/server/sync/sources/sql-mariadb-json';

describe('jsonValidColumn', () => {
  it('names the column of a json_valid check, and nothing for any other check', () => {
    expect(jsonValidColumn('json_valid(`doc`)')).toBe('doc');
    expect(jsonValidColumn('JSON_VALID( `odd``name` )')).toBe('odd`name');
    expect(jsonValidColumn('char_length(`code`) < 10')).toBeNull();
    expect(jsonValidColumn('json_valid(`a`) and `b` > 0')).toBeNull();
    expect(jsonValidColumn(null)).toBeNull();
  });
});

describe('mariaDbJsonColumns', () => {
  it('asks MariaDB only', async () => {
    const asked: string[] = [];
    const query = (statement: string) => {
      asked.push(statement);
      return Promise.resolve({ rows: [{ table_name: 't', clause: 'json_valid(`doc`)' }] });
    };
    const mysql = { dialect: 'mysql' as const, serverVersion: '8.0.36' };
    expect(await mariaDbJsonColumns(mysql, query, null)).toEqual([]);
    const pg = { dialect: 'postgres' as const, serverVersion: 'PostgreSQL 16' };
    expect(await mariaDbJsonColumns(pg, query, null)).toEqual([]);
    expect(asked).toEqual([]);
    const maria = { dialect: 'mysql' as const, serverVersion: '10.11.19-MariaDB-0+deb12u1' };
    expect(await mariaDbJsonColumns(maria, query, null, 't')).toEqual([{ table: 't', column: 'doc' }]);
    expect(asked[0]).toContain('AND table_name = ?');
  });
});
