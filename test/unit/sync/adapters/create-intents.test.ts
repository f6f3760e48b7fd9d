// Creates written ahead (targets/create-intents.ts): a create repeated after a crash adopts what the
// first attempt made, asks the target when it cannot know, and sends again only what is not there.
/* eslint-disable @typescript-eslint/require-await -- in-memory fakes of asynchronous ports */
import { describe, expect, it } from 'vitest';
import type { TargetCreate, TargetPort, TargetWriteResult } from '@/server/sync/ports';
import {
  guardCreates,
  holdsSent,
  type CreateIntentStore,
  type FoundExisting,
  type PendingCreate,
} from '@/server/sync/targets/create-intents';

function memoryStore() {
  const rows = new Map<string, PendingCreate & { state: 'sending' | 'sent' | 'accepted' }>();
  const store: CreateIntentStore = {
    pending: async (ids) => {
      const found = new Map<string, PendingCreate>();
      for (const id of ids) {
        const row = rows.get(id);
        if (row)
          found.set(id, {
            idempotencyKey: row.idempotencyKey,
            sent: row.state === 'sent' ? row.sent : null,
            accepted: row.state === 'accepted' ? row.accepted : null,
          });
      }
      return found;
    },
    sending: async (items) => {
      for (const item of items)
        rows.set(item.originId, {
          idempotencyKey: item.idempotencyKey,
          sent: null,
          accepted: null,
          state: 'sending',
        });
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
    accepted: async (items) => {
      for (const item of items) {
        const row = rows.get(item.originId);
        if (row) rows.set(item.originId, { ...row, state: 'accepted', accepted: item.object });
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
  options: {
    refuse?: Record<string, boolean>;
    found?: Record<string, FoundExisting>;
    /** Taken without an answer naming the object (a 2xx page Concord cannot read). */
    unread?: string[];
  } = {},
) {
  const sent: TargetCreate[] = [];
  const asked: string[] = [];
  const target: TargetPort & { findExisting(item: TargetCreate): Promise<FoundExisting> } = {
    systemId: 'peer',
    create: async (items) => {
      sent.push(...items);
      return items.map((i): TargetWriteResult => {
        if (options.unread?.includes(i.originId))
          return { originId: i.originId, ok: false, reason: 'unread', mayExist: true };
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

  it('keeps a create the target accepted without naming it, with what was sent', async () => {
    const { store, rows } = memoryStore();
    const { target } = fakeTarget({ unread: ['a'] });
    const [result] = await guardCreates(target, store).create([item('a')]);
    expect(result).toMatchObject({ ok: false, mayExist: true });
    expect(rows.get('a')).toMatchObject({ state: 'accepted', accepted: { email: 'a@example.test' } });
  });

  it('does not send an accepted create again while the target cannot be asked and the object is unchanged', async () => {
    const { store } = memoryStore();
    await store.sending([{ originId: 'a', idempotencyKey: 'first' }]);
    await store.accepted([{ originId: 'a', object: { email: 'a@example.test' } }]);
    const { target, sent, asked } = fakeTarget({
      found: { a: { kind: 'unaskable', why: 'there is no match field' } },
    });
    const [result] = await guardCreates(target, store).create([item('a', 'second')]);
    expect(asked).toEqual(['a']);
    expect(sent).toEqual([]);
    expect(result).toMatchObject({
      ok: false,
      mayExist: true,
      reason: expect.stringContaining('Concord cannot look it up (there is no match field)'),
    });
    expect(result && !result.ok && result.transient).toBeFalsy();
  });

  it('sends an accepted create again once the object changed, or when the target says it does not hold it', async () => {
    const { store } = memoryStore();
    await store.sending([
      { originId: 'a', idempotencyKey: 'first-a' },
      { originId: 'b', idempotencyKey: 'first-b' },
    ]);
    await store.accepted([
      { originId: 'a', object: { email: 'before@example.test' } },
      { originId: 'b', object: { email: 'b@example.test' } },
    ]);
    const { target, sent } = fakeTarget({
      found: { a: { kind: 'unaskable', why: 'there is no match field' }, b: { kind: 'none' } },
    });
    const results = await guardCreates(target, store).create([item('a'), item('b')]);
    expect(results.map((r) => r.ok)).toEqual([true, true]);
    expect(sent.map((i) => [i.originId, i.idempotencyKey])).toEqual([
      ['a', 'first-a'],
      ['b', 'first-b'],
    ]);
  });

  it('sends a create that was out when the process died again when the target cannot be asked', async () => {
    const { store } = memoryStore();
    await store.sending([{ originId: 'a', idempotencyKey: 'first' }]);
    const { target, sent } = fakeTarget({ found: { a: { kind: 'unaskable', why: 'no match field' } } });
    const [result] = await guardCreates(target, store).create([item('a', 'second')]);
    expect(result).toMatchObject({ ok: true });
    expect(sent).toEqual([expect.objectContaining({ originId: 'a', idempotencyKey: 'first' })]);
  });
});

describe('holdsSent', () => {
  it('holds every sent field with the same value, extra fields and the excepted ones aside', () => {
    const sent = { id: '7', name: 'Ada', tags: ['a', 'b'], address: { city: 'Leiden', zip: '1' } };
    expect(
      holdsSent(sent, { ...sent, id: 7, createdAt: 'now', address: { zip: '1', city: 'Leiden' } }, ['id']),
    ).toBe(true);
    expect(holdsSent(sent, { ...sent, id: 7 })).toBe(false);
    expect(holdsSent(sent, { ...sent, name: 'Bob' }, ['id'])).toBe(false);
    expect(holdsSent(sent, { id: '7', name: 'Ada', tags: ['b', 'a'], address: sent.address })).toBe(false);
    expect(holdsSent({ city: null }, {})).toBe(false);
  });
});
