// Carrying out two-way decisions (server/sync/two-way/pairs.ts) against fake sides, for what no real
// peer does on demand: a side that leaves objects out of its answer (ports.ts: it answers for every
// object; one it leaves out counts as failed), and the flap breaker at its limit. The sides answer only
// for the objects named "answered-…" and say which objects they were asked about.
import { describe, expect, it } from 'vitest';
import { DEFAULT_TWO_WAY } from '@/server/sync/core/two-way/settings';
import type {
  TargetCreate,
  TargetDelete,
  TargetDeleteResult,
  TargetPort,
  TargetUpdate,
  TargetWriteResult,
} from '@/server/sync/ports';
import type { PairContract, PairStore } from '@/server/sync/two-way/pair-store';
import { carryOut, type Decided, type Pair, type TwoWayContext } from '@/server/sync/two-way/pairs';
import type { WriteBack } from '@/server/sync/two-way/write-back';

const at = new Date(Date.UTC(2026, 11, 4, 9, 0));

const ctx: TwoWayContext = {
  runId: 'run_test',
  idField: 'id',
  syncId: 'syn_test',
  mode: { test: false, force: false },
  checkedAt: at,
  twoWay: DEFAULT_TWO_WAY,
  hashFields: null,
  reverse: null,
  sourceOwnFields: null,
  origin: { systemId: 'src_test', syncId: 'syn_test', runId: 'run_test' },
  deletionPolicy: 'hard',
};

const answers = (id: string) => id.startsWith('answered');

/** A side that answers only for the objects it is meant to, and says which it was asked about. */
function side(name: string) {
  const asked: string[] = [];
  const write = (batch: readonly (TargetCreate | TargetUpdate)[]): TargetWriteResult[] =>
    batch.flatMap((w) => {
      asked.push(w.originId);
      return answers(w.originId)
        ? [{ originId: w.originId, ok: true, targetId: `${name}-${w.originId}`, targetHash: 'h-written' }]
        : [];
    });
  const port: TargetPort = {
    systemId: name,
    create: (batch) => Promise.resolve(write(batch)),
    update: (batch) => Promise.resolve(write(batch)),
    delete: (batch: readonly TargetDelete[]): Promise<TargetDeleteResult[]> =>
      Promise.resolve(
        batch.flatMap((d) => {
          asked.push(d.originId);
          return answers(d.originId) ? [{ originId: d.originId, ok: true as const }] : [];
        }),
      ),
  };
  return { port, asked };
}

function contract(originId: string, overrides: Partial<PairContract> = {}): PairContract {
  return {
    originId,
    parentOriginId: null,
    targetId: `obj-${originId}`,
    originHash: 'h-source',
    targetHash: 'h-target',
    sentHash: null,
    sentData: null,
    status: 'synced',
    lastAction: 'update',
    lastError: null,
    sourceLastChanged: at,
    sourceLastChecked: at,
    sourceLastSynced: at,
    targetLastChanged: at,
    targetLastChecked: at,
    targetLastSynced: at,
    targetBaseHash: 'h-target',
    originSentHash: null,
    targetData: { name: 'Ada' },
    originData: { id: originId, name: 'Ada' },
    flips: 0,
    flipsSince: null,
    ...overrides,
  };
}

function pair(originId: string, overrides: Partial<Pair> = {}): Pair {
  const object = { id: originId, name: 'Ada Lovelace' };
  return {
    originId,
    source: object,
    sourceHash: 'h-source-2',
    mapped: object,
    mappedHash: 'h-mapped',
    contract: contract(originId),
    target: { id: `obj-${originId}`, data: { name: 'Ada' }, hash: 'h-target-2', updatedAt: at },
    ...overrides,
  };
}

/** Fake sides and contract store; `run` carries decisions out through them. */
function harness(context: TwoWayContext = ctx) {
  const register = side('register');
  const source = side('source');
  const saved: PairContract[] = [];
  const pairs = {
    save: (states: readonly PairContract[]) => {
      saved.push(...states);
      return Promise.resolve();
    },
    closeAgreed: () => Promise.resolve(),
    recordConflict: () => Promise.resolve(),
  } as unknown as PairStore;
  const writeBack: WriteBack = {
    port: source.port,
    readBack: () => Promise.resolve(new Map()),
    outstandingCreates: () => Promise.resolve([]),
    close: () => Promise.resolve(),
  };
  const run = (decided: Decided[], allowDeletes = { register: true, source: true }) =>
    carryOut(context, { pairs, register: register.port, writeBack }, decided, 1, allowDeletes);
  const savedState = (id: string) => saved.find((s) => s.originId === id);
  return { register, source, run, savedState };
}

describe('a side that leaves objects out of its answer', () => {
  it('counts each one left out as failed, logs it and marks its contract failed; the rest are written', async () => {
    const { register, source, run, savedState } = harness();
    const why = 'source-changed' as const;
    const decided: Decided[] = [
      { pair: pair('answered-1'), decision: { do: 'to-target', create: false, why } },
      { pair: pair('left-out-1'), decision: { do: 'to-target', create: false, why } },
      { pair: pair('left-out-2'), decision: { do: 'to-source', create: false, why: 'target-changed' } },
      { pair: pair('left-out-3'), decision: { do: 'delete-target', why: 'source-deleted' } },
      { pair: pair('left-out-4'), decision: { do: 'delete-source', why: 'target-deleted' } },
    ];

    const done = await run(decided);

    // Each was asked for once, on its side.
    expect(register.asked.sort()).toEqual(['answered-1', 'left-out-1', 'left-out-3']);
    expect(source.asked.sort()).toEqual(['left-out-2', 'left-out-4']);
    expect(done.tally.register.updated).toBe(1);
    expect(done.tally.failed).toBe(4);
    expect(done.tally.register.deleted + done.tally.source.deleted + done.tally.source.updated).toBe(0);
    const failed = done.entries.filter((e) => e.action === 'failed');
    expect(failed.map((e) => [e.originId, e.reason])).toEqual([
      ['left-out-1', 'The register: no answer came for this object'],
      ['left-out-2', 'The source: no answer came for this object'],
      ['left-out-3', 'The register: no answer came for this object'],
      ['left-out-4', 'The source: no answer came for this object'],
    ]);
    for (const id of ['left-out-1', 'left-out-2', 'left-out-3', 'left-out-4']) {
      // Its bases kept, so the next run decides it again; marked failed with why.
      expect(savedState(id)).toMatchObject({
        status: 'failed',
        lastError: expect.stringContaining('no answer came for this object'),
        originHash: 'h-source',
        targetBaseHash: 'h-target',
      });
    }
    expect(savedState('answered-1')).toMatchObject({ status: 'synced', lastAction: 'update' });
  });
});

describe('the flap breaker', () => {
  // Written as often as the window allows: the next write is one too many.
  const atLimit = (id: string, overrides: Partial<Pair> = {}) =>
    pair(id, {
      contract: contract(id, { flips: DEFAULT_TWO_WAY.flap.writes, flipsSince: new Date() }),
      ...overrides,
    });

  it('quarantines an object at its limit that would be written, and none that would not be', async () => {
    const { register, source, run, savedState } = harness({ ...ctx, deletionPolicy: 'soft' });
    const done = await run(
      [
        {
          pair: atLimit('answered-write'),
          decision: { do: 'to-target', create: false, why: 'source-changed' },
        },
        // Held: this run may not delete in the register.
        { pair: atLimit('answered-held'), decision: { do: 'delete-target', why: 'source-deleted' } },
        // The write-back fails before anything is sent: the register object is gone.
        {
          pair: atLimit('answered-no-object', { target: null }),
          decision: { do: 'to-source', create: false, why: 'target-changed' },
        },
      ],
      { register: false, source: true },
    );
    expect(register.asked).toEqual([]);
    expect(source.asked).toEqual([]);
    expect(done.tally).toMatchObject({ quarantined: 1, held: 1, failed: 1 });
    expect(savedState('answered-write')).toMatchObject({ status: 'quarantined', lastAction: 'quarantine' });
    expect(savedState('answered-held')).toBeUndefined();
    // Said on its contract, as a side's refusal is: it fails alike until the register object is back.
    expect(savedState('answered-no-object')).toMatchObject({
      status: 'rejected',
      lastError: 'The register object is gone.',
      originHash: 'h-source',
    });
    expect(done.entries.map((e) => [e.originId, e.action])).toEqual([
      ['answered-write', 'hold'],
      ['answered-held', 'hold'],
      ['answered-no-object', 'failed'],
    ]);
  });

  it('leaves a deletion the policy ignores unchanged, not quarantined', async () => {
    const { register, run, savedState } = harness({ ...ctx, deletionPolicy: 'none' });
    const done = await run([
      { pair: atLimit('answered-1'), decision: { do: 'delete-target', why: 'source-deleted' } },
    ]);
    expect(register.asked).toEqual([]);
    expect(done.tally).toMatchObject({ unchanged: 1, quarantined: 0 });
    expect(savedState('answered-1')).toBeUndefined();
  });
});
