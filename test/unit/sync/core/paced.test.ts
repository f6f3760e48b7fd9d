// A page is decided a little at a time: the run gives the process a turn between objects (parents and
// sub-objects), so a mapping that spends its whole template budget on each object of a page of a
// thousand holds the process for one object, not for the page (issue 9).
import { describe, expect, it } from 'vitest';
import { compileMapping } from '@/server/sync/core/mapping';
import { syncPage } from '@/server/sync/core/run-page';
import { ZERO_COUNTS } from '@/server/sync/core/run-result';
import type { SubObjectSettings } from '@/server/sync/core/sub-objects';
import { createPacer } from '@/server/sync/run/pace';
import { NO_SETTINGS, runContext, TIMES } from './helpers/factories';
import { MemoryContractStore, MemoryRecorder, MemoryTarget } from './helpers/fakes';

function ports() {
  const contracts = new MemoryContractStore(() => TIMES.now);
  return { contracts, target: new MemoryTarget(), recorder: new MemoryRecorder() };
}

const LINES: SubObjectSettings = {
  path: 'lines',
  idField: 'sku',
  settings: NO_SETTINGS,
  mappingChangedAt: null,
};
const orders = [
  { id: 'o1', lines: [{ sku: 'A' }, { sku: 'B' }] },
  { id: 'o2', lines: [{ sku: 'C' }] },
  { id: 'o3' },
];

describe('syncPage paces its decisions', () => {
  it('asks for a turn after every object and sub-object, and decides the same as without', async () => {
    // Every second request for a turn gets one.
    const turns: string[] = [];
    let asked = 0;
    const pace = () => {
      turns.push('asked');
      asked += 1;
      return asked % 2 === 0 ? Promise.resolve().then(() => void turns.push('waited')) : undefined;
    };
    const paced = ports();
    const counts = await syncPage(paced, runContext({ subObjects: [LINES], pace }), {
      number: 1,
      objects: orders,
    });
    expect(counts).toEqual({ ...ZERO_COUNTS, found: 6, created: 6, withContract: 6 });
    expect(turns.filter((t) => t === 'asked')).toHaveLength(6);
    expect(turns.filter((t) => t === 'waited')).toHaveLength(3);

    const unpaced = ports();
    await syncPage(unpaced, runContext({ subObjects: [LINES] }), { number: 1, objects: orders });
    expect([...paced.contracts.contracts.keys()]).toEqual([...unpaced.contracts.contracts.keys()]);
    expect(paced.target.writes.map((w) => w.originId)).toEqual(unpaced.target.writes.map((w) => w.originId));
  });

  it('with a slow mapping, the objects that use up their budget are invalid and the rest are written', async () => {
    const compiled = compileMapping({
      mapping: {
        id: 'id',
        label:
          '{% if slow %}{% for a in (1..100000) %}{% for b in (1..100000) %}x{% endfor %}{% endfor %}{% endif %}ok',
      },
    });
    if (!compiled.ok) throw new Error('mapping');
    const env = ports();
    const objects = [{ id: 1 }, { id: 2, slow: true }, { id: 3 }];
    const context = runContext({
      settings: { ...NO_SETTINGS, mapping: compiled.mapping },
      pace: createPacer(),
    });
    const counts = await syncPage(env, context, { number: 1, objects });
    // The invalid one keeps a contract of its own (status invalid, with the reason).
    expect(counts).toEqual({ ...ZERO_COUNTS, found: 3, created: 2, invalid: 1, withContract: 3 });
    expect(env.contracts.contracts.get('2')?.lastError).toMatch(
      /^Mapping failed: mapping\.label: The templates ran out of time: .* 40 ms per object/,
    );
  });
});

describe('createPacer', () => {
  it('lets a run work for one slice, then yields one turn of the event loop, then starts a new slice', async () => {
    let clock = 0;
    const pace = createPacer(20, () => clock);
    clock = 19;
    expect(pace()).toBeUndefined();
    // Work that queued while the run held the process goes first.
    const order: string[] = [];
    setImmediate(() => order.push('waiting work'));
    clock = 20;
    const turn = pace();
    expect(turn).toBeInstanceOf(Promise);
    await turn?.then(() => order.push('run'));
    expect(order).toEqual(['waiting work', 'run']);
    clock = 39;
    expect(pace()).toBeUndefined();
  });
});

describe('createPacer and the process’s own answers', () => {
  it('sleeps after a turn busy with someone else’s work, not after one busy with its own answers', async () => {
    let clock = 0;
    let own = 0;
    const pace = createPacer(
      20,
      () => clock,
      () => own,
    );
    // A turn that took 10 ms, 9.5 of them reading the run's own next page: the run goes on at once.
    clock = 20;
    setImmediate(() => {
      clock += 10;
      own += 9.5;
    });
    let slept = false;
    const timer = setTimeout(() => (slept = true), 5);
    await pace();
    expect(slept).toBe(false);
    clearTimeout(timer);
    // The same turn spent on other work: the run leaves the process alone for what it just worked.
    clock += 20;
    setImmediate(() => (clock += 10));
    const started = performance.now();
    await pace();
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);
  });
});
