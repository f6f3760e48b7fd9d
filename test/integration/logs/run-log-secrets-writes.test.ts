// The run log of a write never shows a target's secret either, whatever its name: a target that echoes
// the address it was asked at (its secret query parameter `sig2` in it) when it refuses an object has
// that value masked — in a push the outbox starts, and in the re-sync of one object a person asks for.
// These runs' requests are all the target's, through the HTTP client that knows its secrets and masks
// what it records (http/redact.ts); a listing also records the next links a source hands it, which is
// why its log masks by value once more (run/masked-recorder.ts).
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runs } from '@/server/db/schema';
import { embeddedRunnerFor, stopEmbeddedRunner } from '@/server/runner/dispatch';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { registerToRest } from '../helpers/push-setup';
import { json, startServer, type TestServer } from '../sync/http/server';

process.env.CONCORD_PUSH_DEBOUNCE_MS = '100';

const SIG = 'SIG2-VALUE-71c0de';

let db: TestDatabase;
let peer: TestServer;

beforeAll(async () => {
  db = await createTestDatabase();
  embeddedRunnerFor(db.db);
  // Refuses every object, quoting the address it was asked at (the secret too).
  peer = await startServer((req, res) =>
    json(res, 422, { error: `refused the object sent to ${new URL(req.url, peer.origin).href}` }),
  );
});
afterAll(async () => {
  await stopEmbeddedRunner(db.db);
  await peer.close();
  await db.close();
});

type Setup = Awaited<ReturnType<typeof registerToRest>>;

async function finishedRuns(s: Setup, count: number) {
  await expect
    .poll(
      async () => {
        const all = await db.db.select().from(runs).where(eq(runs.synchronisationId, s.push.id));
        return all.length >= count && all.every((r) => r.status === 'finished') ? all.length : 0;
      },
      { timeout: 20_000 },
    )
    .toBe(count);
  return db.db.select().from(runs).where(eq(runs.synchronisationId, s.push.id)).orderBy(runs.createdAt);
}

describe('the run log of a target with a secret query parameter', () => {
  it('masks its value in a push and in the re-sync of one object', async () => {
    const s = await registerToRest(db.db, peer.origin);
    await s.api.sources.update({ orgId: s.orgId, sourceId: s.peer.id, secrets: { 'query:sig2': SIG } });
    await s.api.registers.createObject({
      orgId: s.orgId,
      schemaId: s.schema.id,
      data: { name: 'Ada', email: 'ada@example.test' },
    });
    const [push] = await finishedRuns(s, 1);
    // The peer was asked with the secret, and quoted it back.
    expect(peer.seen.map((r) => r.url).join(' ')).toContain(SIG);
    expect(push).toMatchObject({ trigger: 'push', result: 'error', failed: 1 });
    await expectMasked(s, push!.id);

    const { rows } = await s.api.contracts.list({ orgId: s.orgId, syncId: s.push.id });
    expect(rows).toHaveLength(1);
    const asked = peer.seen.length;
    const { runId } = await s.api.contracts.resync({ orgId: s.orgId, contractId: rows[0]!.id });
    await finishedRuns(s, 2);
    expect(peer.seen.length).toBeGreaterThan(asked);
    await expectMasked(s, runId);
  });
});

/** What a person reads of the run: its message, timeline, entries and their groups. */
async function expectMasked(s: Setup, runId: string) {
  const path = { orgId: s.orgId, runId };
  const log = [
    await s.api.runs.get(path),
    await s.api.runs.timeline({ ...path, pageSize: 100 }),
    await s.api.runs.entries({ ...path, pageSize: 100 }),
    await s.api.runs.entryGroups(path),
  ];
  const text = JSON.stringify(log);
  expect(text).toMatch(/refused the object sent to/);
  expect(text).toContain('sig2=***');
  expect(text).not.toContain(SIG);
}
