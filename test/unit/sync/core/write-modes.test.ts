// What reaches the target: an object whose output is what the target was last handed makes no request
// (unless forced), and the write mode decides whether objects are created, updated or left alone.
import { describe, expect, it } from 'vitest';
import { compileMapping } from '@/server/sync/core/mapping';
import { syncPage } from '@/server/sync/core/run-page';
import type { WriteMode } from '@/server/sync/core/write-mode';
import { NO_SETTINGS, runContext, TIMES } from './helpers/factories';
import { MemoryContractStore, MemoryRecorder, MemoryTarget } from './helpers/fakes';

function setup() {
  const contracts = new MemoryContractStore(() => TIMES.now);
  const target = new MemoryTarget();
  const recorder = new MemoryRecorder();
  return { contracts, target, recorder, ports: { contracts, target, recorder } };
}

function nameOnly() {
  const compiled = compileMapping({ mapping: { name: 'name' } });
  if (!compiled.ok) throw new Error('mapping');
  return { ...NO_SETTINGS, mapping: compiled.mapping };
}

const run = (n: number, overrides: Parameters<typeof runContext>[0] = {}) =>
  runContext({ runId: `run_${n}`, checkedAt: new Date(Date.UTC(2024, 2, n)), ...overrides });

describe('the output hash', () => {
  it('a source change the mapping leaves out sends nothing; a change it carries is sent', async () => {
    const env = setup();
    const settings = nameOnly();
    await syncPage(env.ports, run(1, { settings }), { number: 1, objects: [{ id: 1, name: 'a', seen: 1 }] });
    expect(env.target.writes).toHaveLength(1);

    const noise = await syncPage(env.ports, run(2, { settings }), {
      number: 1,
      objects: [{ id: 1, name: 'a', seen: 2 }],
    });
    expect(noise).toMatchObject({ skipped: 1, updated: 0, rewritten: 0 });
    expect(env.target.writes).toHaveLength(1);

    const real = await syncPage(env.ports, run(3, { settings }), {
      number: 1,
      objects: [{ id: 1, name: 'b', seen: 3 }],
    });
    expect(real).toMatchObject({ updated: 1 });
    expect(env.target.writes.map((w) => w.object)).toEqual([{ name: 'a' }, { name: 'b' }]);
  });

  it('an edited synchronisation whose output is the same sends nothing; a forced run sends everything', async () => {
    const env = setup();
    const objects = [
      { id: 1, name: 'a' },
      { id: 2, name: 'b' },
    ];
    await syncPage(env.ports, run(1), { number: 1, objects });
    const edited = await syncPage(
      env.ports,
      run(2, { configChangedAt: new Date(Date.UTC(2024, 2, 1, 12)) }),
      {
        number: 1,
        objects,
      },
    );
    expect(edited).toMatchObject({ skipped: 2 });
    expect(env.target.writes).toHaveLength(2);
    const forced = await syncPage(env.ports, run(3, { mode: { force: true, test: false } }), {
      number: 1,
      objects,
    });
    expect(forced).toMatchObject({ rewritten: 2 });
    expect(env.target.writes).toHaveLength(4);
  });

  it('remembers what was handed to a target that answers with a different hash, and compares with that', async () => {
    const env = setup();
    const original = env.target.create.bind(env.target);
    // A target that adds its own fields: its hash is not the hash of what it was handed.
    env.target.create = async (batch) =>
      (await original(batch)).map((r) => (r.ok ? { ...r, targetHash: `stored-${r.targetHash}` } : r));
    await syncPage(env.ports, run(1), { number: 1, objects: [{ id: 1, name: 'a' }] });
    expect(env.contracts.contracts.get('1')?.sentHash).toMatch(/^[0-9a-f]{32}$/);
    const edited = await syncPage(
      env.ports,
      run(2, { configChangedAt: new Date(Date.UTC(2024, 2, 1, 12)) }),
      {
        number: 1,
        objects: [{ id: 1, name: 'a' }],
      },
    );
    expect(edited).toMatchObject({ skipped: 1 });
    expect(env.target.writes).toHaveLength(1);
  });
});

describe('write modes', () => {
  const first = [{ id: 1, name: 'a' }];
  const later = [
    { id: 1, name: 'a2' },
    { id: 2, name: 'b' },
  ];
  const withMode = (n: number, writeMode: WriteMode) => run(n, { settings: { ...NO_SETTINGS, writeMode } });

  it('insert only creates new objects and leaves written ones as they are', async () => {
    const env = setup();
    await syncPage(env.ports, withMode(1, 'insert-only'), { number: 1, objects: first });
    const counts = await syncPage(env.ports, withMode(2, 'insert-only'), { number: 1, objects: later });
    expect(counts).toMatchObject({ created: 1, updated: 0, skipped: 1 });
    expect(env.target.writes.map((w) => w.object)).toEqual([first[0], later[1]]);
  });

  it('update only never creates: it updates the object the target has under the origin id, and leaves the others', async () => {
    const env = setup();
    env.target.existing.add('1');
    const counts = await syncPage(env.ports, withMode(1, 'update-only'), { number: 1, objects: later });
    // Two found, one left with a contract: deletion planning must walk, not trust a count.
    expect(counts).toMatchObject({
      created: 0,
      updated: 1,
      skipped: 1,
      failed: 0,
      found: 2,
      withContract: 1,
    });
    expect(env.target.calls.create).toBe(0);
    expect([...env.target.objects]).toEqual([['1', { id: 1, name: 'a2' }]]);
    // Only the object it wrote has a contract; the absent one is tried again next time.
    expect([...env.contracts.contracts.keys()]).toEqual(['1']);
    expect(env.contracts.contracts.get('1')).toMatchObject({ targetId: '1', status: 'synced' });
  });

  it('upsert and mirror create and update', async () => {
    for (const mode of ['upsert', 'mirror'] as const) {
      const env = setup();
      await syncPage(env.ports, withMode(1, mode), { number: 1, objects: first });
      expect(await syncPage(env.ports, withMode(2, mode), { number: 1, objects: later })).toMatchObject({
        created: 1,
        updated: 1,
      });
    }
  });
});
