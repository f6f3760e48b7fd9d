// The one decision table (core/decide.ts) read three ways. Pull and push are the table with the target
// never read; their rows give the same answer as the two-way rows where the target holds just what the
// contract remembers — the target side unread is the target side unchanged. And a pull page
// (decidePage) does what the table says, branch by branch. (That it does exactly what the engine did
// before the table was shared is decide-grid.test.ts.)
import { describe, expect, it } from 'vitest';
import { hashObject } from '@/server/sync/core/canonical-json';
import type { ContractState } from '@/server/sync/core/contracts';
import {
  decide,
  UNREAD,
  type OneWayInput,
  type OneWaySettings,
  type Output,
  type PairBase,
  type SideNow,
} from '@/server/sync/core/decide';
import { goneFromSource } from '@/server/sync/core/finish-run';
import { identifyObjects } from '@/server/sync/core/ids';
import { decidePage, type EngineSettings } from '@/server/sync/core/one-way';
import { DEFAULT_TWO_WAY } from '@/server/sync/core/two-way/settings';
import type { WriteMode } from '@/server/sync/core/write-mode';
import { contract, NO_SETTINGS, TIMES } from './helpers/factories';

const pump = { id: 1, name: 'Pump' };
const pumpHash = hashObject(pump);
const valveHash = hashObject({ id: 1, name: 'Valve' });

const ONE_WAY: OneWaySettings = {
  force: false,
  configChangedAt: TIMES.configChangedAt,
  mappingChangedAt: null,
  checkedAt: TIMES.thisRun,
};

/** A pull of `pump`, whose output (no mapping) hashes as pumpHash. */
function pull(base: ContractState | null, over: Partial<OneWaySettings> = {}, source = pumpHash) {
  const input: OneWayInput = {
    base,
    source: { hash: source, updatedAt: null },
    target: UNREAD,
    output: () => ({ ok: true, sentHash: source }),
    settings: { ...ONE_WAY, ...over },
  };
  return decide(input);
}

/** The same object through a pull page, as the engine runs it. */
function page(base: ContractState | null, over: Partial<EngineSettings> = {}, force = false) {
  const contracts = new Map(base ? [[base.originId, base]] : []);
  const [decision] = decidePage(identifyObjects([pump]), contracts, {
    settings: { ...NO_SETTINGS, ...over },
    mode: { force, test: false },
    configChangedAt: TIMES.configChangedAt,
    mappingChangedAt: null,
    checkedAt: TIMES.thisRun,
  });
  return decision;
}

const synced = (over: Partial<ContractState> = {}) =>
  contract({ originId: '1', originHash: pumpHash, sentHash: pumpHash, ...over });

describe('pull and push: the table with the target never read', () => {
  const rows: {
    row: string;
    base: ContractState | null;
    source?: string;
    settings?: Partial<OneWaySettings>;
    verdict: Record<string, unknown>;
    action: string;
    engine?: Partial<EngineSettings>;
  }[] = [
    {
      row: 'no contract → create',
      base: null,
      verdict: { do: 'to-target', create: true, why: 'new-at-source', because: 'no-contract' },
      action: 'create',
    },
    {
      row: 'no contract, update only → update the object with the source id, if it exists',
      base: null,
      settings: { writeMode: 'update-only' },
      engine: { writeMode: 'update-only' },
      verdict: { do: 'to-target', create: false, ifExists: true, why: 'new-at-source' },
      action: 'update',
    },
    {
      row: 'unchanged since the base → nothing',
      base: synced(),
      verdict: { do: 'nothing', why: 'unchanged' },
      action: 'skip',
    },
    {
      row: 'changed → update',
      base: synced({ originHash: valveHash, sentHash: valveHash }),
      verdict: { do: 'to-target', create: false, why: 'source-changed', because: 'origin-changed' },
      action: 'update',
    },
    {
      row: 'changed, but the output is what the target was last handed → nothing',
      base: synced({ originHash: valveHash }),
      verdict: { do: 'nothing', why: 'output-unchanged' },
      action: 'skip',
    },
    {
      row: 'changed, insert only → nothing',
      base: synced({ originHash: valveHash, sentHash: valveHash }),
      settings: { writeMode: 'insert-only' },
      engine: { writeMode: 'insert-only' },
      verdict: { do: 'nothing', why: 'insert-only' },
      action: 'skip',
    },
    {
      row: 'this run wrote it already (a page retried) → nothing',
      base: synced({ sourceLastChecked: TIMES.thisRun, lastAction: 'update' }),
      verdict: { do: 'nothing', why: 'written-this-run' },
      action: 'skip',
    },
    {
      row: 'a contract that never reached the target → create',
      base: synced({ originHash: valveHash, targetId: null, status: 'rejected' }),
      verdict: { do: 'to-target', create: true, why: 'new-at-source' },
      action: 'create',
    },
    {
      row: 'deleted on the target, back at the source → create again',
      base: synced({ status: 'deleted', lastAction: 'delete' }),
      verdict: { do: 'to-target', create: true, why: 'reappeared', because: 'not-synced' },
      action: 'create',
    },
  ];

  it.each(rows)('$row', ({ base, settings, verdict, action, engine }) => {
    expect(pull(base, settings)).toMatchObject(verdict);
    expect(page(base, engine)?.action).toBe(action);
  });

  it('forced, or edited since the last check: the skip rule does not hold, so the object is written', () => {
    expect(pull(synced(), { force: true })).toMatchObject({ do: 'to-target', because: 'forced' });
    expect(pull(synced({ sentHash: 'x' }), { configChangedAt: TIMES.thisRun })).toMatchObject({
      do: 'to-target',
      because: 'config-edited',
    });
    expect(page(synced(), {}, true)?.action).toBe('update');
  });

  it('an object the conditions leave out, or one that cannot be used, is decided by the same table', () => {
    const base = { base: null, target: UNREAD, output: (): Output => ({ ok: true, sentHash: '' }) } as const;
    const settings = ONE_WAY;
    expect(decide({ ...base, settings, source: { leftOut: 'filtered' } })).toEqual({
      do: 'nothing',
      why: 'filtered',
    });
    expect(decide({ ...base, settings, source: { leftOut: 'invalid', reason: 'no id' } })).toEqual({
      do: 'invalid',
      reason: 'no id',
    });
    const failing = decide({
      base: null,
      source: { hash: pumpHash, updatedAt: null },
      target: UNREAD,
      output: (): Output => ({ ok: false, reason: 'Mapping failed: size' }),
      settings,
    });
    expect(failing).toEqual({ do: 'invalid', reason: 'Mapping failed: size' });
  });

  it('the output is made only when a row needs it: an unchanged object is never mapped', () => {
    let made = 0;
    const input: OneWayInput = {
      base: synced(),
      source: { hash: pumpHash, updatedAt: null },
      target: UNREAD,
      output: () => {
        made += 1;
        return { ok: true, sentHash: pumpHash };
      },
      settings: ONE_WAY,
    };
    expect(decide(input)).toMatchObject({ do: 'nothing' });
    expect(made).toBe(0);
    expect(decide({ ...input, base: null })).toMatchObject({ do: 'to-target' });
    expect(made).toBe(1);
  });

  it('a contract whose object the listing did not hold: delete on the target, unless already deleted', () => {
    expect(decide({ base: synced(), source: null, target: UNREAD })).toEqual({
      do: 'delete-target',
      why: 'source-deleted',
    });
    const tombstone = synced({ status: 'deleted' });
    expect(decide({ base: tombstone, source: null, target: UNREAD })).toEqual({
      do: 'nothing',
      why: 'both-gone',
    });
    // The deletion step asks the table too.
    expect(goneFromSource(synced({ status: 'held' }))).toBe(true);
    expect(goneFromSource(tombstone)).toBe(false);
  });
});

describe('the target unread answers as the target unchanged since the base', () => {
  // Two-way's base for a contract the pull kept: the target holds what it was last handed.
  const pairBase = (c: ContractState | null): PairBase | null =>
    c && {
      sourceHash: c.originHash,
      targetHash: 't-base',
      sourceWritten: null,
      deleted: c.status === 'deleted',
    };
  const targetAsBase: SideNow = { hash: 't-base', updatedAt: null };
  const cases: { row: string; base: ContractState | null; source: string | null; target: SideNow | null }[] =
    [
      { row: 'no contract, new at the source', base: null, source: pumpHash, target: null },
      { row: 'kept, changed at the source', base: synced(), source: valveHash, target: targetAsBase },
      { row: 'kept, gone from the source', base: synced(), source: null, target: targetAsBase },
      // (Back exactly as the tombstone remembers it is two-way's object Concord soft deleted at the source;
      // a pull never writes to its source, so there it is simply back.)
      {
        row: 'deleted, back at the source',
        base: synced({ status: 'deleted' }),
        source: valveHash,
        target: null,
      },
      { row: 'deleted, still gone', base: synced({ status: 'deleted' }), source: null, target: null },
    ];

  it.each(cases)('$row: the same thing to do on the target', ({ base, source, target }) => {
    const oneWay =
      source === null ? decide({ base: base!, source: null, target: UNREAD }) : pull(base, {}, source);
    const twoWay = decide({
      base: pairBase(base),
      source: source === null ? null : { hash: source, updatedAt: null },
      target,
      same: false,
      settings: DEFAULT_TWO_WAY,
    });
    expect({ do: oneWay.do, why: 'why' in oneWay ? oneWay.why : null }).toEqual({
      do: twoWay.do,
      why: 'why' in twoWay ? twoWay.why : null,
    });
    if (oneWay.do === 'to-target' && twoWay.do === 'to-target') expect(oneWay.create).toBe(twoWay.create);
  });

  it('an unchanged object: nothing, both ways', () => {
    expect(pull(synced())).toEqual({ do: 'nothing', why: 'unchanged' });
    const twoWay = decide({
      base: pairBase(synced()),
      source: { hash: pumpHash, updatedAt: null },
      target: targetAsBase,
      same: true,
      settings: DEFAULT_TWO_WAY,
    });
    expect(twoWay).toEqual({ do: 'nothing', why: 'unchanged' });
  });

  it('a pull never writes to the source, whatever the write mode', () => {
    const modes: WriteMode[] = ['upsert', 'insert-only', 'update-only', 'mirror'];
    for (const writeMode of modes)
      for (const base of [
        null,
        synced(),
        synced({ originHash: 'x', sentHash: 'x' }),
        synced({ status: 'deleted' }),
      ])
        expect(['nothing', 'to-target']).toContain(pull(base, { writeMode }).do);
  });
});
