// A two-way synchronisation's write-back defaults: a REST source is written at the path it is listed
// from (without the listing's query) and <path>/{{targetId}}, the new id read where the listing has it;
// an SQL source at the table it reads (a query names none), keyed on the column that identifies a row.
// At run time the saved settings are read tolerantly, the defaults applied.
import { describe, expect, it, vi } from 'vitest';
import { resolveWriteBack, writeBackDefaults } from '@/server/sync/config/write-back';

describe('writeBackDefaults', () => {
  it('writes a REST source where it is listed, without the listing’s query or a final slash', () => {
    expect(writeBackDefaults('rest', '/people?_page=1&_limit=10', 'id')).toEqual({
      createEndpoint: '/people',
      updateEndpoint: '/people/{{targetId}}',
      deleteEndpoint: '/people/{{targetId}}',
      idPath: 'id',
    });
    expect(writeBackDefaults('rest', 'v2/contacts/', 'meta.uuid')).toMatchObject({
      createEndpoint: 'v2/contacts',
      updateEndpoint: 'v2/contacts/{{targetId}}',
      idPath: 'meta.uuid',
    });
    // Listed from the base URL itself.
    expect(writeBackDefaults('rest', '', 'id')).toMatchObject({
      createEndpoint: '/',
      updateEndpoint: '/{{targetId}}',
    });
  });

  it('writes an SQL source to the table it reads; a query names no table', () => {
    expect(writeBackDefaults('sql', ' crm.people ', 'person_id')).toEqual({
      table: 'crm.people',
      keyColumns: ['person_id'],
    });
    expect(writeBackDefaults('sql', 'select * from people where active', 'id')).toEqual({
      table: null,
      keyColumns: ['id'],
    });
    expect(writeBackDefaults('sql', 'WITH p AS (SELECT 1) SELECT * FROM p', 'id').table).toBeNull();
  });
});

describe('resolveWriteBack', () => {
  const rest = { id: 'syn_1', sourceEndpoint: '/people?active=1', sourceConfig: { sourceIdField: 'uuid' } };

  it('fills what a REST write-back leaves out, the REST target’s own defaults included', () => {
    expect(resolveWriteBack('rest', { ...rest, writeBack: { updateMethod: 'PATCH' } })).toEqual({
      kind: 'rest',
      config: {
        createEndpoint: '/people',
        createMethod: 'POST',
        updateEndpoint: '/people/{{targetId}}',
        updateMethod: 'PATCH',
        deleteEndpoint: '/people/{{targetId}}',
        idPath: 'uuid',
        softDelete: { method: 'PATCH', body: { deleted: true } },
      },
    });
    // Nothing saved: every default.
    expect(resolveWriteBack('rest', { ...rest, writeBack: null }).config).toMatchObject({
      createEndpoint: '/people',
    });
  });

  it('keys an SQL write-back on the key column, else the id field', () => {
    const sql = { sourceEndpoint: 'people', writeBack: {} };
    expect(
      resolveWriteBack('sql', {
        ...sql,
        sourceConfig: { sourceIdField: 'email', sql: { keyColumn: 'pid' } },
      }),
    ).toEqual({ kind: 'sql', config: { table: 'people', keyColumns: ['pid'] } });
    expect(resolveWriteBack('sql', { ...sql, sourceConfig: {} }).config).toEqual({
      table: 'people',
      keyColumns: ['id'],
    });
    expect(
      resolveWriteBack('sql', {
        sourceEndpoint: 'SELECT * FROM v',
        sourceConfig: {},
        writeBack: { table: 't' },
      }).config,
    ).toEqual({ table: 't', keyColumns: ['id'] });
  });

  it('leaves out settings an older version saved, and says what it cannot use', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(
      resolveWriteBack('rest', { ...rest, writeBack: { retired: 1, createMethod: 'PUT' } }).config,
    ).toMatchObject({
      createEndpoint: '/people',
      createMethod: 'PUT',
    });
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('retired'));
    warn.mockRestore();
    expect(() =>
      resolveWriteBack('sql', { sourceEndpoint: 'SELECT 1', sourceConfig: {}, writeBack: {} }),
    ).toThrow(
      /synchronisation write-back settings cannot be used \(table: .*\): open the synchronisation and save it again/,
    );
  });
});
