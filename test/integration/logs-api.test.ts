// The log API behind the logs pages: the recent runs' numbers for the chart, keyset paging of the
// history, a run's names, its entries linked to contracts, and who may cancel.
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFor, createMember } from '../factories';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startJsonServer, type JsonServer } from './helpers/json-server';
import { people, restToRegister, runThroughApi } from './helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;
type Run = Awaited<ReturnType<typeof runThroughApi>>;
const done: Run[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(15) });
  s = await restToRegister(db.db, peer.url);
  done.push(await runThroughApi(s.api, s.orgId, s.sync.id));
  done.push(await runThroughApi(s.api, s.orgId, s.sync.id));
  await fetch(`${peer.url}/people/4`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Renamed 4' }),
  });
  done.push(await runThroughApi(s.api, s.orgId, s.sync.id, { test: true }));
  done.push(await runThroughApi(s.api, s.orgId, s.sync.id, { force: true }));
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

describe('runs.stats', () => {
  it('gives the finished runs oldest first with the counts and durations of the runs themselves', async () => {
    const stats = await s.api.runs.stats({ orgId: s.orgId, syncId: s.sync.id, limit: 10 });
    expect(stats.map((r) => r.id)).toEqual(done.map((r) => r.id));
    for (const [i, run] of done.entries()) {
      expect(stats[i]).toMatchObject({
        syncId: s.sync.id,
        syncName: s.sync.name,
        test: run.test,
        force: run.force,
        result: run.result,
        found: run.found,
        created: run.created,
        updated: run.updated,
        rewritten: run.rewritten,
        deleted: run.deleted,
        skipped: run.skipped,
        invalid: run.invalid,
        failed: run.failed,
        durationMs: run.finishedAt!.getTime() - run.startedAt!.getTime(),
      });
    }
    expect(stats.map((r) => [r.created, r.updated, r.rewritten, r.skipped, r.test])).toEqual([
      [15, 0, 0, 0, false],
      [0, 0, 0, 15, false],
      [0, 1, 0, 14, true],
      // Forced: all 15 written, one of them changed.
      [0, 1, 14, 0, false],
    ]);
  });

  it('keeps to the last `limit` runs, the organisation and the synchronisation asked for', async () => {
    const lastTwo = await s.api.runs.stats({ orgId: s.orgId, limit: 2 });
    expect(lastTwo.map((r) => r.id)).toEqual(done.slice(-2).map((r) => r.id));
    const other = await restToRegister(db.db, peer.url);
    expect(await other.api.runs.stats({ orgId: other.orgId, limit: 10 })).toEqual([]);
    expect(await s.api.runs.stats({ orgId: s.orgId, syncId: other.sync.id, limit: 10 })).toEqual([]);
  });
});

describe('runs.list, runs.names and runs.entries', () => {
  it('pages the history newest first with a cursor, the same as `before`', async () => {
    const first = await s.api.runs.list({ orgId: s.orgId, limit: 3 });
    expect(first.map((r) => r.run.id)).toEqual(
      done
        .map((r) => r.id)
        .reverse()
        .slice(0, 3),
    );
    const cursor = first.at(-1)!.run.id;
    const next = await s.api.runs.list({ orgId: s.orgId, limit: 3, cursor });
    expect(next.map((r) => r.run.id)).toEqual([done[0]!.id]);
    expect(await s.api.runs.list({ orgId: s.orgId, limit: 3, before: cursor })).toEqual(next);
  });

  it('names the synchronisation and the person who asked for the run', async () => {
    expect(await s.api.runs.names({ orgId: s.orgId, runId: done[0]!.id })).toEqual({
      syncId: s.sync.id,
      syncName: s.sync.name,
      requestedByName: s.owner.user.name,
    });
  });

  it('links the entries of a dry run to their contracts, with the object that would be written', async () => {
    const dry = done[2]!;
    const { rows, total } = await s.api.runs.entries({ orgId: s.orgId, runId: dry.id });
    expect(total).toBe(1);
    const { rows: four } = await s.api.contracts.list({ orgId: s.orgId, syncId: s.sync.id, search: '4' });
    expect(rows[0]).toMatchObject({
      action: 'update',
      originId: '4',
      contractId: four.find((c) => c.originId === '4')!.id,
      data: { name: 'Renamed 4', email: 'person4@example.test', city: 'Utrecht' },
    });
  });

  it('lets a viewer read the log but not cancel a run', async () => {
    const viewer = callerFor(db.db, await createMember(db.db, s.orgId, s.owner.user.id, 'viewer'));
    expect(await viewer.runs.stats({ orgId: s.orgId, limit: 5 })).toHaveLength(4);
    const { runId } = await s.api.synchronisations.run({ orgId: s.orgId, syncId: s.sync.id });
    const denied = await viewer.runs.cancel({ orgId: s.orgId, runId }).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(TRPCError);
    expect((denied as TRPCError).code).toBe('FORBIDDEN');
  });
});
