// What an organisation is told while a synchronisation keeps failing, or keeps holding the same
// deletions, run after run: once when it starts, a reminder a day later while it goes on, and once when
// it works again — not a notification and a webhook POST for every hourly run over a weekend.
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, expect, it, onTestFinished } from 'vitest';
import { notifications, webhookDeliveries } from '@/server/db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister, runThroughApi } from '../helpers/sync-setup';
import { startWebhookReceiver } from '../helpers/webhook-receiver';

let db: TestDatabase;
let peer: JsonServer;
beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(40) });
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

const DAY = 24 * 3_600_000;

it('tells of a failing synchronisation when it starts failing, once a day while it goes on, and when it works again', async () => {
  const { api, orgId, sync } = await restToRegister(db.db, peer.url);
  const receiver = await startWebhookReceiver([]);
  onTestFinished(() => receiver.stop());
  const endpoint = await api.notifications.createEndpoint({
    orgId,
    url: receiver.url,
    events: ['run.failed', 'run.recovered'],
  });
  const told = async () =>
    (await api.notifications.list({ orgId })).map((n) => [n.event, n.title, n.message]).reverse();
  expect(await runThroughApi(api, orgId, sync.id)).toMatchObject({ result: 'success' });

  await peer.faults([{ path: '/people', status: 500 }]);
  const first = await runThroughApi(api, orgId, sync.id);
  expect(first).toMatchObject({ result: 'error' });
  for (let i = 0; i < 3; i++)
    expect(await runThroughApi(api, orgId, sync.id)).toMatchObject({ result: 'error' });
  expect((await told()).map(([event]) => event)).toEqual(['run.failed']);

  // A day after the notification, the synchronisation still failing: a reminder.
  await db.db
    .update(notifications)
    .set({ createdAt: new Date(Date.now() - DAY - 60_000) })
    .where(eq(notifications.runId, first.id));
  const later = await runThroughApi(api, orgId, sync.id);
  expect(later).toMatchObject({ result: 'error' });
  expect(await runThroughApi(api, orgId, sync.id)).toMatchObject({ result: 'error' });
  const reminder = (await told())[1]!;
  expect(reminder[0]).toBe('run.failed');
  expect(reminder[1]).toBe(`“${sync.name}” still failing`);
  expect(reminder[2]).toMatch(/^5 runs failed in a row since .+\. The latest: .*500/);

  await peer.clearFaults();
  expect(await runThroughApi(api, orgId, sync.id)).toMatchObject({ result: 'success' });
  const recovered = (await told())[2]!;
  expect(recovered[0]).toBe('run.recovered');
  expect(recovered[1]).toBe(`“${sync.name}” works again`);
  expect(recovered[2]).toMatch(/^The run succeeded after 6 failed runs since .+\.$/);
  expect(await told()).toHaveLength(3);
  // One webhook delivery per notification, not one per failed run.
  const deliveries = await db.db
    .select()
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.endpointId, endpoint.id));
  expect(deliveries.map((d) => d.event).sort()).toEqual(['run.failed', 'run.failed', 'run.recovered']);

  // The next failure starts a new streak: told again.
  await peer.faults([{ path: '/people', status: 500 }]);
  expect(await runThroughApi(api, orgId, sync.id)).toMatchObject({ result: 'error' });
  expect((await told()).map(([event, title]) => `${event} ${title}`).at(-1)).toBe(
    `run.failed “${sync.name}” failed`,
  );
  await peer.clearFaults();
}, 120_000);

it('tells of held deletions when they are held, not again while the same ones wait for a decision', async () => {
  const own = await startJsonServer({ people: people(40) });
  try {
    const { api, orgId, sync } = await restToRegister(db.db, own.url);
    const held = async () =>
      (
        await db.db
          .select()
          .from(notifications)
          .where(and(eq(notifications.synchronisationId, sync.id), eq(notifications.event, 'deletions.held')))
      ).map((n) => n.title);
    expect(await runThroughApi(api, orgId, sync.id)).toMatchObject({ result: 'success', created: 40 });
    for (let id = 1; id <= 25; id++) await fetch(`${own.url}/people/${id}`, { method: 'DELETE' });
    expect(await runThroughApi(api, orgId, sync.id)).toMatchObject({ held: 25 });
    expect(await held()).toEqual([`25 deletions held in “${sync.name}”`]);
    // Nobody decided: the next runs hold the same 25 and tell nothing new.
    expect(await runThroughApi(api, orgId, sync.id)).toMatchObject({ held: 25 });
    expect(await runThroughApi(api, orgId, sync.id)).toMatchObject({ held: 25 });
    expect(await held()).toHaveLength(1);
    // Five more go: the decision waiting is a different one.
    for (let id = 26; id <= 30; id++) await fetch(`${own.url}/people/${id}`, { method: 'DELETE' });
    expect(await runThroughApi(api, orgId, sync.id)).toMatchObject({ held: 30 });
    expect(await held()).toEqual([
      `25 deletions held in “${sync.name}”`,
      `30 deletions held in “${sync.name}”`,
    ]);
  } finally {
    await own.stop();
  }
}, 120_000);
