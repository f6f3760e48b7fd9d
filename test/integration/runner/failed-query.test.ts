// A run the database refuses a write of (here a trigger that RAISEs, as a constraint of the register's
// own would) ends as an error whose message names the database's reason — never drizzle's
// "Failed query: <SQL> params: <values>", whose parameters are the objects being written. The runner's
// server log keeps the stack, without them either.
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runs } from '@/server/db/schema';
import { EmbeddedRunner } from '@/server/runner/embedded';
import { requestRun } from '@/server/services/runs';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { FAST_HTTP, restToRegister } from '../helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;

// Values no message or log line may carry.
const PRIVATE = { id: 7, name: 'Wilhelmina Quartermaine', email: 'w.quartermaine@private.test' };

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: [PRIVATE] });
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

async function finished(runId: string) {
  for (let i = 0; i < 400; i++) {
    const [run] = await db.db.select().from(runs).where(eq(runs.id, runId));
    if (run?.status === 'finished') return run;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`run ${runId} did not finish`);
}

describe('a run the database refuses a write of', () => {
  it('records the cause, not the query and its parameters, in the run and in the server log', async () => {
    const s = await restToRegister(db.db, peer.url);
    await db.db.run(
      sql.raw(`CREATE TRIGGER refuse_all BEFORE INSERT ON objects
        BEGIN SELECT RAISE(ABORT, 'the register is read-only'); END`),
    );
    const logged: string[] = [];
    const runner = new EmbeddedRunner(db.db, {
      urlPolicy: { allowPrivateNetworks: true },
      http: FAST_HTTP,
      pollMs: 20,
      tickMs: 60_000,
      log: (line) => logged.push(line),
    });
    try {
      await runner.start();
      const { run } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual' });
      runner.wake();
      const ended = await finished(run.id);

      expect(ended.result).toBe('error');
      expect(ended.message).toBe(
        'The run stopped because of an unexpected error: SQLITE_CONSTRAINT: the register is read-only. ' +
          'Run it again; objects already synchronised are skipped.',
      );
      await runner.idle();
      const line = logged.find((l) => l.startsWith(`run ${run.id} failed:`));
      expect(line).toBeDefined();
      expect(line).toContain('the register is read-only');
      expect(line).toMatch(/\n\s+at /); // the stack's frames stay
      for (const text of [ended.message!, line!]) {
        expect(text).not.toMatch(/Failed query|params:|INSERT|SELECT/i);
        for (const value of [PRIVATE.name, PRIVATE.email]) expect(text).not.toContain(value);
      }
    } finally {
      await runner.stop();
      await db.db.run(sql.raw('DROP TRIGGER refuse_all'));
    }
  });
});
