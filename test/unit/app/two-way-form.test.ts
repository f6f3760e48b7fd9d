// The synchronisation form's two-way settings as the API takes them: sent only when two-way is chosen
// and possible (a REST or SQL source into a register schema); empty write-back fields left out so they
// follow the defaults; updated-at fields only for newer wins; incremental reading and write modes other
// than upsert not sent for a two-way synchronisation. A saved synchronisation reads back into the form.
import { describe, expect, it } from 'vitest';
import { EMPTY_FORM, type SyncFormState } from '@/app/o/[slug]/synchronisations/_lib/form-state';
import { toInput } from '@/app/o/[slug]/synchronisations/_lib/to-input';
import { twoWayFormFields } from '@/app/o/[slug]/synchronisations/_lib/two-way-form';

const twoWay: SyncFormState = {
  ...EMPTY_FORM,
  name: 'People both ways',
  sourceId: 'src_1',
  sourceEndpoint: '/people',
  direction: 'two-way' as const,
  writeMode: 'mirror' as const,
  incremental: true,
  incrementalField: 'updatedAt',
  twoWay: {
    ...EMPTY_FORM.twoWay,
    conflictPolicy: 'newer-wins' as const,
    matchSource: 'email',
    matchTarget: 'contact.email',
    updatedAtSource: 'updated_at',
    updatedAtTarget: 'updatedAt',
  },
  writeBack: {
    ...EMPTY_FORM.writeBack,
    updateEndpoint: '/people/{{targetId}}/edit',
    updateMethod: 'PATCH' as const,
  },
  writeBackMappingId: 'map_1',
};

const input = (state: SyncFormState, kind: Parameters<typeof toInput>[1]) => {
  const converted = toInput(state, kind);
  if (!converted.ok) throw new Error(converted.problem.message);
  return converted.input;
};

describe('the form’s two-way settings', () => {
  it('sends the policies and only the write-back fields given, for a REST source', () => {
    const sent = input(twoWay, { type: 'rest' });
    expect(sent).toMatchObject({
      direction: 'two-way',
      writeMode: 'upsert',
      twoWay: {
        conflictPolicy: 'newer-wins',
        sourceOfTruth: 'source',
        targetOnly: 'leave',
        match: { source: 'email', target: 'contact.email' },
        updatedAt: { source: 'updated_at', target: 'updatedAt' },
      },
      writeBack: { updateEndpoint: '/people/{{targetId}}/edit', createMethod: 'POST', updateMethod: 'PATCH' },
      writeBackMappingId: 'map_1',
    });
    expect(sent.sourceConfig).not.toHaveProperty('incremental');
  });

  it('leaves updated-at fields out unless newer wins, and matching out when empty', () => {
    const manual = { ...twoWay, twoWay: { ...EMPTY_FORM.twoWay, updatedAtSource: 'updated_at' } };
    expect(input(manual, { type: 'rest' }).twoWay).toEqual({
      conflictPolicy: 'manual',
      sourceOfTruth: 'source',
      targetOnly: 'leave',
    });
  });

  it('sends an SQL source’s table, key columns and soft delete column', () => {
    const sql = {
      ...twoWay,
      deleteMode: 'soft' as const,
      writeBack: {
        ...EMPTY_FORM.writeBack,
        table: 'crm.people',
        keyColumns: 'a, b',
        softDeleteColumn: 'gone',
      },
    };
    expect(input(sql, { type: 'sql' }).writeBack).toEqual({
      table: 'crm.people',
      keyColumns: ['a', 'b'],
      softDelete: { column: 'gone' },
    });
  });

  it('sends one-way, with nothing else, when two-way is not chosen or not possible', () => {
    for (const [state, kind] of [
      [{ ...twoWay, direction: 'one-way' as const }, { type: 'rest' as const }],
      [twoWay, { type: 'file' as const, format: 'csv' as const }],
      [{ ...twoWay, targetType: 'source' as const }, { type: 'rest' as const }],
    ] as const) {
      const sent = input(state, kind);
      expect(sent.direction).toBe('one-way');
      expect(sent).not.toHaveProperty('twoWay');
      expect(sent).not.toHaveProperty('writeBack');
      expect(sent).not.toHaveProperty('writeBackMappingId');
    }
  });

  it('reads a saved two-way synchronisation back into the form', () => {
    expect(
      twoWayFormFields({
        id: 'syn_1',
        twoWay: {
          conflictPolicy: 'target-wins',
          targetOnly: 'add-to-source',
          match: { source: 'a', target: 'b' },
        },
        writeBack: {
          table: 'people',
          keyColumns: ['id', 'region'],
          softDelete: { column: 'gone', value: true },
        },
      }),
    ).toEqual({
      twoWay: {
        conflictPolicy: 'target-wins',
        sourceOfTruth: 'source',
        targetOnly: 'add-to-source',
        matchSource: 'a',
        matchTarget: 'b',
        updatedAtSource: '',
        updatedAtTarget: '',
      },
      writeBack: {
        ...EMPTY_FORM.writeBack,
        table: 'people',
        keyColumns: 'id, region',
        softDeleteColumn: 'gone',
      },
    });
  });
});
