// A synchronisation limited to selected ids leaves alone an object pushed to its webhook that is not
// among them (nothing written, the log says why), and syncs one that is.
import { and, eq, isNull } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objects, ofSchema, runs } from '@/server/db/schema';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister } from '../helpers/sync-setup';

type Handler = (req: Request, ctx: { params: Promise<{ syncId: string }> }) => Promise<Response>;
let db: TestDatabase;
let peer: JsonServer;
let webhook: Handler;

beforeAll(async () => {
  db = await createTestDatabase();
  // The route handler uses the process database: point it at this test's file before loading it.
  process.env.DATABASE_URL = `file:${db.file}`;
  webhook = (await import('@/app/api/webhooks/[syncId]/route')).POST;
  peer = await startJsonServer({ people: people(3) });
});
afterAll(async () => {
  await peer?.stop();
  await db?.close();
});

async function finished(runId: string) {
  await embeddedRunnerFor(db.db).idle();
  for (let i = 0; i < 200; i++) {
    const [run] = await db.db.select().from(runs).where(eq(runs.id, runId));
    if (run?.status === 'finished') return run;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('run did not finish');
}

describe('a webhook object and the selected ids', () => {
  it('leaves an object outside the selection alone and syncs one inside it', async () => {
    const s = await restToRegister(db.db, peer.url, {
      sourceConfig: { pagination: { kind: 'link-header' }, selectedIds: ['7'] },
    });
    const { token, path } = await s.api.synchronisations.enableWebhook({ orgId: s.orgId, syncId: s.sync.id });
    const push = async (body: unknown) => {
      const res = await webhook(
        new Request(`http://127.0.0.1${path}`, {
          method: 'POST',
          headers: { 'x-concord-token': token, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        }),
        { params: Promise.resolve({ syncId: s.sync.id }) },
      );
      expect(res.status).toBe(202);
      return finished(((await res.json()) as { runId: string }).runId);
    };
    const outside = await push({ id: 99, name: 'Outside', email: 'o@example.test' });
    expect(outside).toMatchObject({ result: 'success', created: 0, filtered: 1 });
    expect(outside.message).toContain('"99" is not among the selected ids');
    const inside = await push({ id: 7, name: 'Inside', email: 'i@example.test' });
    expect(inside).toMatchObject({ result: 'success', created: 1 });
    const live = await db.db
      .select()
      .from(objects)
      .where(and(ofSchema(s.schema.id), isNull(objects.deletedAt)));
    expect(live.map((o) => o.data.name)).toEqual(['Inside']);
  });
});
