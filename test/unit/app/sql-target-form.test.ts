// The synchronisation form's SQL target fields: typed text to the API's settings and back, the soft
// delete values read as JSON where they are JSON, and the form sends them only for an SQL target.
import { describe, expect, it } from 'vitest';
import { EMPTY_FORM, formFromSync } from '@/app/o/[slug]/synchronisations/_lib/form-state';
import { sqlTargetFields, sqlTargetInput } from '@/app/o/[slug]/synchronisations/_lib/sql-target-form';
import { toInput } from '@/app/o/[slug]/synchronisations/_lib/to-input';
import type { SyncRow } from '@/app/o/[slug]/synchronisations/_lib/types';
import { sqlTargetConfigSchema } from '@/server/sync/config/sync-config';

const typed = {
  table: ' crm.people ',
  keyColumns: 'tenant, id',
  columns: 'tenant\nid\nfull_name = name\ncity = address.city',
  softDeleteColumn: 'deleted_at',
  softDeleteValue: '{{now}}',
  softDeleteActiveValue: 'null',
};

describe('SQL target fields', () => {
  it('become settings the API accepts, and read back as typed', () => {
    const input = sqlTargetInput(typed);
    expect(input).toEqual({
      table: 'crm.people',
      keyColumns: ['tenant', 'id'],
      columns: { tenant: 'tenant', id: 'id', full_name: 'name', city: 'address.city' },
      softDelete: { column: 'deleted_at', value: '{{now}}', activeValue: null },
    });
    const saved = sqlTargetConfigSchema.parse(input);
    expect(sqlTargetFields(saved)).toEqual({ ...typed, table: 'crm.people' });
  });

  it('reads JSON values as JSON and anything else as text', () => {
    const soft = (value: string) => sqlTargetInput({ ...typed, softDeleteValue: value }).softDelete?.value;
    expect(soft('true')).toBe(true);
    expect(soft('1')).toBe(1);
    expect(soft('"yes"')).toBe('yes');
    expect(soft('deleted')).toBe('deleted');
  });

  it('leaves soft deletion out without a column, and REST settings read as the empty SQL fields', () => {
    expect(sqlTargetInput({ ...typed, softDeleteColumn: '' }).softDelete).toBeUndefined();
    expect(sqlTargetFields({ createEndpoint: '/x' }).table).toBe('');
  });

  it('is what the form sends for an SQL target, and only then', () => {
    const state = {
      ...EMPTY_FORM,
      name: 'Out',
      sourceId: 'src_1',
      targetType: 'source' as const,
      sqlTarget: typed,
    };
    const sql = toInput(state, { type: 'register' }, true);
    expect(sql.ok && sql.input.targetConfig).toMatchObject({ table: 'crm.people' });
    const rest = toInput(state, { type: 'register' }, false);
    expect(rest.ok && rest.input.targetConfig).toMatchObject({ createEndpoint: '/' });
  });

  it('opens a saved SQL target with its fields', () => {
    const sync = {
      id: 'syn_1',
      sourceConfig: {},
      targetConfig: { table: 'people', keyColumns: ['id'] },
      targetType: 'source',
      restrictDeletion: null,
      deleteThreshold: 0.5,
      followUps: [],
    } as unknown as SyncRow;
    expect(formFromSync(sync).sqlTarget).toMatchObject({ table: 'people', keyColumns: 'id' });
  });
});
