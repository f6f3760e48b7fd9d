import { describe, expect, it } from 'vitest';
import { isEcho, subscribersFor } from '@/server/sync/core/origin';
import { prepareSettings } from '@/server/sync/core/settings';

describe('prepareSettings', () => {
  it('compiles a valid configuration', () => {
    const prepared = prepareSettings({
      sourceIdField: '@attributes.id',
      mapping: { mapping: { a: 'b' } },
      conditions: { '==': [1, 1] },
    });
    expect(prepared).toMatchObject({
      ok: true,
      idField: '@attributes.id',
      settings: { hashFields: null, conditions: { '==': [1, 1] } },
    });
  });

  it('defaults the id field to id and runs without a mapping', () => {
    expect(prepareSettings({})).toMatchObject({ ok: true, idField: 'id', settings: { mapping: null } });
  });

  it('collects every problem with its key', () => {
    const prepared = prepareSettings({
      sourceIdField: 'a..b',
      conditions: { nope: [] },
      mapping: { cast: { x: 'intt' } },
      hashFields: ['ok', ''],
    });
    expect(prepared.ok).toBe(false);
    if (!prepared.ok) {
      expect(prepared.problems.map((p) => p.key)).toEqual([
        'sourceIdField',
        'conditions',
        'hashFields[1]',
        'mapping.cast.x',
      ]);
    }
  });
});

describe('prepareSettings for sub-objects', () => {
  it('gives each sub-object its own compiled mapping, no conditions and a whole-object hash', () => {
    const prepared = prepareSettings({
      hashFields: ['total'],
      conditions: { '==': [1, 1] },
      subObjects: [
        { path: 'lines', mapping: { mapping: { code: 'sku' } }, mappingChangedAt: new Date(5) },
        { path: 'customer.address', idField: 'code' },
      ],
    });
    if (!prepared.ok) throw new Error('not ok');
    expect(prepared.subObjects).toMatchObject([
      {
        path: 'lines',
        idField: 'id',
        settings: { conditions: null, hashFields: null },
        mappingChangedAt: new Date(5),
      },
      { path: 'customer.address', idField: 'code', settings: { mapping: null }, mappingChangedAt: null },
    ]);
    expect(prepared.subObjects[0]?.settings.mapping).not.toBeNull();
  });

  it('rejects a bad path, a bad id field, a bad mapping and a path configured twice, each with its key', () => {
    const prepared = prepareSettings({
      subObjects: [
        { path: 'a..b' },
        { path: 'lines', idField: 'x..y', mapping: { cast: { q: 'intt' } } },
        { path: 'lines' },
      ],
    });
    expect(prepared.ok).toBe(false);
    if (!prepared.ok) {
      expect(prepared.problems.map((p) => p.key)).toEqual([
        'subObjects[0].path',
        'subObjects[1].idField',
        'subObjects[1].mapping.cast.q',
        'subObjects[2].path',
      ]);
    }
  });
});

describe('the hub never sends a change back to its origin', () => {
  it('filters the origin system out of the subscribers', () => {
    const subscribers = [{ systemId: 'crm' }, { systemId: 'erp' }, { systemId: 'web' }];
    expect(subscribersFor({ systemId: 'erp' }, subscribers)).toEqual([
      { systemId: 'crm' },
      { systemId: 'web' },
    ]);
    expect(isEcho({ systemId: 'erp' }, 'erp')).toBe(true);
  });
});
