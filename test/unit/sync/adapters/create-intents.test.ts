// Creates written ahead (targets/create-intents.ts): a create repeated after a crash adopts what the
// first attempt made, asks the target when it cannot know, and sends again only what is not there.
/* eslint-disable @typescript-eslint/require-await -- in-memory fakes of asynchronous ports */
import { describe, expect, it } from 'vitest';
import type { TargetCreate, TargetPort, TargetWriteResult } from '@/server/sync/ports';
import {
  guardCreates,
  type CreateIntentStore,
  type FoundExisting,
  type PendingCreate,
} from '@/server/sync/targets/create-intents';

function memoryStore() {
  const rows = new Map<string, PendingCreate & { state: 'sending' | 'sent' }>();
  const store: CreateIntentStore = {
    pending: async (ids) => {
      const found = new Map<string, PendingCreate>();
      for (const id of ids) {
        const row = rows.get(id);
        if (row)
          found.set(id, { idempotencyKey: row.idempotencyKey, sent: row.state === 'sent' ? row.sent : null });
      }
      return found;
    },
    sending: async (items) => {
      for (const item of items)
        rows.set(item.originId, { idempotencyKey: item.idempotencyKey, sent: null, state: 'sending' });
    },
    sent: async (items) => {
      for (const item of items) {
        const row = rows.get(item.originId);
        if (row)
          rows.set(item.originId, {
            ...row,
            state: 'sent',
            sent: { targetId: item.targetId, targetHash: item.targetHash },
          });
      }
    },
    forget: async (ids) => {
      for (const id of ids) rows.delete(id);
    },
  };
  return { store, rows };
}

const origin = { systemId: 'register', syncId: 'sync_1', runId: 'run_1' };
const item = (originId: string, key = `k-${originId}`): TargetCreate => ({
  originId,
  object: { email: `${originId}@example.test` },
  idempotencyKey: key,
  origin,
  page: 1,
});

/** A target that creates whatever it is sent, or refuses what `refuse` names. */
function fakeTarget(
  options: { refuse?: Record<string, boolean>; found?: Record<string, FoundExisting> } = {},
) {
  const sent: TargetCreate[] = [];
  const asked: string[] = [];
  const target: TargetPort & { findExisting(item: TargetCreate): Promise<FoundExisting> } = {
    systemId: 'peer',
    create: async (items) => {
      sent.push(...items);
      return items.map((i): TargetWriteResult => {
        const refusal = options.refuse?.[i.originId];
        if (refusal === undefined)
          return { originId: i.originId, ok: true, targetId: `t-${i.originId}`, targetHash: 'h' };
        return { originId: i.originId, ok: false, reason: 'no', transient: refusal };
      });
    },
    update: async () => [],
    delete: async () => [],
    findExisting: async (i) => {
      asked.push(i.originId);
      return options.found?.[i.originId] ?? { kind: 'none' };
    },
  };
  return { target, sent, asked };
}

describe('guardCreates', () => {
  it('writes each create ahead and marks it sent with the id the target gave', async () => {
    const { store, rows } = memoryStore();
    const { target, sent, asked } = fakeTarget();
    const results = await guardCreates(target, store).create([item('a'), item('b')]);
    expect(results.map((r) => r.ok && r.targetId)).toEqual(['t-a', 't-b']);
    expect(sent.map((i) => i.originId)).toEqual(['a', 'b']);
    expect(asked).toEqual([]);
    expect(rows.get('a')).toMatchObject({ state: 'sent', sent: { targetId: 't-a' } });
  });

  it('adopts an object whose answer arrived before the crash, sending nothing', async () => {
    const { store } = memoryStore();
    await store.sending([{ originId: 'a', idempotencyKey: 'first' }]);
    await store.sent([{ originId: 'a', targetId: 't-first', targetHash: 'h1' }]);
    const { target, sent } = fakeTarget();
    const [result] = await guardCreates(target, store).create([item('a', 'second')]);
    expect(result).toEqual({ originId: 'a', ok: true, targetId: 't-first', targetHash: 'h1' });
    expect(sent).toEqual([]);
  });

  it('asks the target about a create that was out when the process died, and adopts what it holds', async () => {
    const { store } = memoryStore();
    await store.sending([
      { originId: 'a', idempotencyKey: 'first' },
      { originId: 'b', idempotencyKey: 'first-b' },
    ]);
    const { target, sent, asked } = fakeTarget({
      found: { a: { kind: 'one', targetId: 't-found', targetHash: 'hf' } },
    });
    const results = await guardCreates(target, store).create([item('a', 'second'), item('b', 'second-b')]);
    expect(asked).toEqual(['a', 'b']);
    expect(results[0]).toMatchObject({ ok: true, targetId: 't-found' });
    // Not there: sent again, under the first attempt's key.
    expect(sent).toEqual([expect.objectContaining({ originId: 'b', idempotencyKey: 'first-b' })]);
  });

  it('refuses to guess when the target holds several, and retries later when it cannot be asked', async () => {
    const { store } = memoryStore();
    await store.sending([
      { originId: 'a', idempotencyKey: 'k' },
      { originId: 'b', idempotencyKey: 'k2' },
    ]);
    const { target, sent } = fakeTarget({
      found: { a: { kind: 'many', count: 2, field: 'email' }, b: { kind: 'unknown', reason: 'HTTP 503' } },
    });
    const [many, unknown] = await guardCreates(target, store).create([item('a'), item('b')]);
    expect(many).toMatchObject({
      ok: false,
      reason: expect.stringContaining('2 objects with the same email'),
    });
    expect(many && !many.ok && many.transient).toBeFalsy();
    expect(unknown).toMatchObject({
      ok: false,
      transient: true,
      reason: expect.stringContaining('HTTP 503'),
    });
    expect(sent).toEqual([]);
  });

  it('forgets a create the target refused for good, keeps one that failed transiently', async () => {
    const { store, rows } = memoryStore();
    const { target } = fakeTarget({ refuse: { a: false, b: true } });
    await guardCreates(target, store).create([item('a'), item('b')]);
    expect(rows.has('a')).toBe(false);
    expect(rows.get('b')).toMatchObject({ state: 'sending' });
  });
});
