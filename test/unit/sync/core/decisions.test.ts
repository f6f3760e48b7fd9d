// Vitest's asymmetric matchers (expect.any, expect.stringContaining) are typed `any`.

import { describe, expect, it } from 'vitest';
import { hashObject, hashValue } from '@/server/sync/core/canonical-json';
import type { ContractState } from '@/server/sync/core/contracts';
import { decidePage, type DecisionContext } from '@/server/sync/core/one-way';
import { identifyObjects } from '@/server/sync/core/ids';
import { compileMapping } from '@/server/sync/core/mapping';
import { contract, NO_SETTINGS, TIMES } from './helpers/factories';

const context: DecisionContext = {
  settings: NO_SETTINGS,
  mode: { force: false, test: false },
  configChangedAt: TIMES.configChangedAt,
  mappingChangedAt: null,
  checkedAt: TIMES.thisRun,
};

function decide(
  objects: unknown[],
  contracts: ContractState[] = [],
  overrides: Partial<DecisionContext> = {},
) {
  return decidePage(identifyObjects(objects), new Map(contracts.map((c) => [c.originId, c])), {
    ...context,
    ...overrides,
  });
}

const pump = { id: 1, name: 'Pump' };
const synced = contract({ originId: '1', originHash: hashObject(pump) });

describe('decidePage', () => {
  it('creates objects without a contract', () => {
    const [decision] = decide([pump]);
    expect(decision).toMatchObject({
      action: 'create',
      originId: '1',
      mapped: pump,
      originHash: hashObject(pump),
      previous: null,
    });
  });

  it('updates changed objects, addressing the known target id', () => {
    const [decision] = decide([{ ...pump, name: 'Valve' }], [synced]);
    expect(decision).toMatchObject({ action: 'update', targetId: 't-1', mapped: { name: 'Valve' } });
  });

  it('skips unchanged objects: a synced one as it is stored (nothing to write), a held one checked and synced', () => {
    const [decision] = decide([pump], [synced]);
    expect(decision).toMatchObject({ action: 'skip', onlyChecked: true });
    // The run's ledger records that it was listed; its contract is not written, so stays as stored.
    if (decision?.action === 'skip') expect(decision.contract).toBe(synced);
    const held = contract({
      originId: '1',
      originHash: hashObject(pump),
      status: 'held',
      lastAction: 'hold',
    });
    const [checked] = decide([pump], [held]);
    expect(checked).toMatchObject({
      action: 'skip',
      onlyChecked: false,
      contract: { originId: '1', lastAction: 'skip', status: 'synced', originData: pump },
    });
    if (checked?.action === 'skip') expect(checked.contract.sourceLastChecked).toEqual(TIMES.thisRun);
  });

  it('skips a change the mapping does not carry, and records that the source changed', () => {
    const compiled = compileMapping({ mapping: { name: 'name' } });
    if (!compiled.ok) throw new Error('mapping');
    const settings = { ...NO_SETTINGS, mapping: compiled.mapping };
    const was = contract({
      originId: '1',
      originHash: hashObject(pump),
      targetHash: hashValue({ name: 'Pump' }),
    });
    const [decision] = decide([{ ...pump, colour: 'red' }], [was], { settings });
    expect(decision).toMatchObject({
      action: 'skip',
      contract: {
        originHash: hashObject({ ...pump, colour: 'red' }),
        sourceLastChanged: TIMES.thisRun,
        sourceLastChecked: TIMES.thisRun,
        sourceLastSynced: TIMES.lastRun,
      },
    });
    // Nothing changed at the source: the time it last changed stays.
    const [same] = decide([pump], [was], { settings });
    expect(same).toMatchObject({ action: 'skip', contract: { sourceLastChanged: TIMES.lastRun } });
  });

  it('reports an object nested too deeply to hash as invalid, and decides the others', () => {
    let deep: Record<string, unknown> = { bottom: true };
    for (let i = 0; i < 1_200; i++) deep = { down: deep };
    const [tooDeep, fine] = decide([{ id: 'deep', deep }, pump]);
    expect(tooDeep).toMatchObject({ action: 'invalid', originId: 'deep' });
    if (tooDeep?.action === 'invalid')
      expect(tooDeep.reason).toMatch(/^The object cannot be hashed: .*too deeply/);
    expect(fine).toMatchObject({ action: 'create', originId: '1' });
  });

  it('updates unchanged objects when forced', () => {
    expect(decide([pump], [synced], { mode: { force: true, test: false } })[0]?.action).toBe('update');
  });

  it('updates unchanged objects after the sync or mapping was edited', () => {
    expect(decide([pump], [synced], { configChangedAt: TIMES.thisRun })[0]?.action).toBe('update');
    expect(decide([pump], [synced], { mappingChangedAt: TIMES.thisRun })[0]?.action).toBe('update');
  });

  it('creates again when the target object was deleted', () => {
    const deleted = contract({ originId: '1', originHash: hashObject(pump), status: 'deleted' });
    expect(decide([pump], [deleted])[0]).toMatchObject({ action: 'create', previous: deleted });
  });

  it('ignores volatile fields when hashing selected fields only', () => {
    const stored = contract({
      originId: '1',
      originHash: hashObject({ ...pump, seenAt: 'monday' }, ['id', 'name']),
    });
    const settings = { ...NO_SETTINGS, hashFields: ['id', 'name'] };
    expect(decide([{ ...pump, seenAt: 'tuesday' }], [stored], { settings })[0]?.action).toBe('skip');
    expect(decide([{ ...pump, name: 'Valve', seenAt: 'tuesday' }], [stored], { settings })[0]?.action).toBe(
      'update',
    );
  });

  it('marks an object without id invalid and carries on with the rest', () => {
    const decisions = decide([pump, { name: 'anonymous' }, { id: 2 }]);
    expect(decisions.map((d) => d.action)).toEqual(['create', 'invalid', 'create']);
    expect(decisions[1]).toMatchObject({
      originId: null,
      contract: null,
      reason: expect.stringContaining('no usable id'),
    });
  });

  it('marks the second of two objects with one id invalid and leaves the contract to the first', () => {
    const decisions = decide([pump, { id: '1', name: 'Impostor' }]);
    expect(decisions[0]).toMatchObject({ action: 'create', mapped: { name: 'Pump' } });
    expect(decisions[1]).toMatchObject({ action: 'invalid', originId: '1', contract: null });
  });

  it('filters objects that fail the conditions; an existing contract only records the check', () => {
    const settings = { ...NO_SETTINGS, conditions: { '==': [{ var: 'status' }, 'open'] } };
    const decisions = decide(
      [
        { id: 1, status: 'closed' },
        { id: 2, status: 'open' },
        { id: 3, status: 'closed' },
      ],
      [synced],
      { settings },
    );
    expect(decisions.map((d) => d.action)).toEqual(['filtered', 'create', 'filtered']);
    expect(decisions[0]).toMatchObject({
      contract: { originId: '1', status: 'synced', lastAction: 'filter', targetId: 't-1' },
    });
    expect(decisions[2]).toMatchObject({ contract: null });
  });

  it('maps objects it creates or updates', () => {
    const compiled = compileMapping({ mapping: { title: '{{ name | upcase }}', source: '=legacy' } });
    if (!compiled.ok) throw new Error('mapping');
    const [decision] = decide([pump], [], { settings: { ...NO_SETTINGS, mapping: compiled.mapping } });
    expect(decision).toMatchObject({ action: 'create', mapped: { title: 'PUMP', source: 'legacy' } });
  });

  it('an object the mapping fails on is invalid with the key and reason, its contract remembers the error', () => {
    const compiled = compileMapping({ mapping: { size: 'size' }, cast: { size: 'int' } });
    if (!compiled.ok) throw new Error('mapping');
    const [bad, good] = decide(
      [
        { id: 1, size: 'large' },
        { id: 2, size: '3' },
      ],
      [synced],
      { settings: { ...NO_SETTINGS, mapping: compiled.mapping } },
    );
    expect(bad).toMatchObject({
      action: 'invalid',
      originId: '1',
      reason: 'Mapping failed: cast.size: "large" is not a whole number (cast int)',
      contract: { status: 'invalid', lastAction: 'reject', targetId: 't-1', originHash: synced.originHash },
    });
    expect(good).toMatchObject({ action: 'create', mapped: { size: 3 } });
  });
});
