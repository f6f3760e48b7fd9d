// Notification webhooks end to end: a synchronisation whose source answers 500 fails; the failure is
// delivered to a real receiver that verifies the Concord-Signature; the receiver's 500 is retried with
// backoff from the delivery table — by a runner started after the first one stopped — and its 200
// delivers it; the delivery log says so. Endpoints are checked with the URL guard and their secret is
// shown once and stored encrypted.
import { TRPCError } from '@trpc/server';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { webhookDeliveries, webhookEndpoints } from '@/server/db/schema';
import { stopEmbeddedRunner } from '@/server/runner/dispatch';
import { EmbeddedRunner } from '@/server/runner/embedded';
import { defaultBackoffMs, deliverDue } from '@/server/services/notifications/deliver';
import { executeEmbedded } from '@/server/runner/embedded';
import { requestRun } from '@/server/services/runs';
import { signatureHeader, verifySignature } from '@/server/services/notifications/signature';
import { callerFor, createMember, createOwner } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister, runThroughApi } from '../helpers/sync-setup';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver';

let db: TestDatabase;
const peers: JsonServer[] = [];
const receivers: WebhookReceiver[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
});
afterEach(async () => {
  await Promise.all([...peers.splice(0).map((p) => p.stop()), ...receivers.splice(0).map((r) => r.stop())]);
});
afterAll(() => db.close());

async function code(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    return error instanceof TRPCError ? error.code : `unexpected ${String(error)}`;
  }
}

async function until<T>(read: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting; last value ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('notification webhooks', () => {
  it('delivers a run failure signed, retries after a 500 from the delivery table after a restart, and logs both attempts', async () => {
    const peer = await startJsonServer({ people: people(5) });
    peers.push(peer);
    const receiver = await startWebhookReceiver([500, 200]);
    receivers.push(receiver);
    const { api, orgId, sync } = await restToRegister(db.db, peer.url);

    const created = await api.notifications.createEndpoint({
      orgId,
      url: receiver.url,
      description: 'On-call',
      events: ['run.failed', 'deletions.held'],
    });
    expect(created.secret).toMatch(/^whsec_/);
    receiver.secret = created.secret;
    // The secret is shown once: never listed, and stored only encrypted.
    const listed = await api.notifications.endpoints({ orgId });
    expect(listed).toHaveLength(1);
    expect(JSON.stringify(listed)).not.toContain(created.secret);
    const [stored] = await db.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, created.id));
    expect(stored!.secretCipher).not.toContain(created.secret.slice(6));

    // The source answers 500 to every listing: the run fails.
    await peer.faults([{ path: '/people', status: 500, body: { error: 'database down' } }]);
    const run = await runThroughApi(api, orgId, sync.id);
    expect(run).toMatchObject({ status: 'finished', result: 'error' });

    // The first attempt: signed, the receiver answers 500.
    const [first] = await receiver.waitFor(1);
    expect(first!.signatureValid).toBe(true);
    expect(first!.headers['concord-event']).toBe('run.failed');
    expect(first!.json).toMatchObject({
      event: 'run.failed',
      organisation: { id: orgId },
      data: { synchronisation: { id: sync.id, name: sync.name }, run: { id: run.id, result: 'error' } },
    });
    expect(String(first!.json['url'])).toMatch(new RegExp(`/o/[^/]+/logs/${run.id}$`));
    const pending = await until(
      () => api.notifications.deliveries({ orgId }),
      (log) => log[0]?.attempts === 1,
    );
    expect(pending).toHaveLength(1);
    const afterFirst = pending[0]!;
    expect(afterFirst).toMatchObject({
      status: 'pending',
      attempts: 1,
      lastStatusCode: 500,
      event: 'run.failed',
    });
    // Exponential backoff: the first retry waits 30 s.
    expect(afterFirst.nextAttemptAt!.getTime() - afterFirst.lastAttemptAt!.getTime()).toBe(
      defaultBackoffMs(1),
    );
    expect(defaultBackoffMs(2)).toBe(2 * defaultBackoffMs(1));

    // The process stops before the retry is due; no timer survives it.
    await stopEmbeddedRunner(db.db);
    // Time passes: the retry is due. A runner started afresh finds it in the table and sends it.
    await db.db
      .update(webhookDeliveries)
      .set({ nextAttemptAt: new Date(Date.now() - 1000) })
      .where(eq(webhookDeliveries.id, afterFirst.id));
    const restarted = new EmbeddedRunner(db.db, { urlPolicy: { allowPrivateNetworks: true }, pollMs: 100 });
    await restarted.start();
    try {
      const [, second] = await receiver.waitFor(2);
      expect(second!.signatureValid).toBe(true);
      expect(second!.answered).toBe(200);
      // The same delivery, sent again with the same body.
      expect(second!.headers['concord-delivery']).toBe(first!.headers['concord-delivery']);
      expect(second!.body).toBe(first!.body);
      const log = await until(
        () => api.notifications.deliveries({ orgId }),
        (l) => l[0]?.status === 'delivered',
      );
      expect(log[0]).toMatchObject({
        status: 'delivered',
        attempts: 2,
        lastStatusCode: 200,
        lastError: null,
        nextAttemptAt: null,
      });
      expect(log[0]!.deliveredAt).toBeInstanceOf(Date);
    } finally {
      await restarted.stop();
    }
    // Delivered once: nothing more is sent.
    await new Promise((r) => setTimeout(r, 300));
    expect(receiver.received).toHaveLength(2);
  });

  it('fails alone a delivery whose signing secret cannot be read, and delivers the others of the pass', async () => {
    const peer = await startJsonServer({ people: people(2) });
    peers.push(peer);
    const receiver = await startWebhookReceiver([200]);
    receivers.push(receiver);
    const { api, orgId, sync } = await restToRegister(db.db, peer.url);
    const broken = await api.notifications.createEndpoint({
      orgId,
      url: receiver.url,
      events: ['run.failed'],
    });
    const working = await api.notifications.createEndpoint({
      orgId,
      url: receiver.url,
      events: ['run.failed'],
    });
    receiver.secret = working.secret;
    // As after a change of Concord's secret key: the stored cipher no longer opens.
    await db.db
      .update(webhookEndpoints)
      .set({ secretCipher: 'v1:not-a-cipher' })
      .where(eq(webhookEndpoints.id, broken.id));
    await stopEmbeddedRunner(db.db);
    await peer.faults([{ path: '/people', status: 500, body: { error: 'down' } }]);
    const { run } = await requestRun(db.db, orgId, sync.id, { trigger: 'manual' });
    await executeEmbedded(db.db, run.id, { urlPolicy: { allowPrivateNetworks: true } }).catch(
      () => undefined,
    );

    await deliverDue(db.db, { urlPolicy: { allowPrivateNetworks: true } });
    const [received] = await receiver.waitFor(1);
    expect(received!.signatureValid).toBe(true);
    const log = await api.notifications.deliveries({ orgId });
    const byEndpoint = new Map(log.map((d) => [d.endpointId, d]));
    expect(byEndpoint.get(working.id)).toMatchObject({ status: 'delivered' });
    expect(byEndpoint.get(broken.id)).toMatchObject({
      status: 'failed',
      lastError: expect.stringMatching(/signing secret cannot be read/),
    });
  });

  it('lets a receiver detect a wrong secret, a changed body and an old timestamp', async () => {
    const receiver = await startWebhookReceiver([200]);
    receivers.push(receiver);
    const { api, org } = await withEndpointOwner();
    const created = await api.notifications.createEndpoint({
      orgId: org.id,
      url: receiver.url,
      events: ['run.failed'],
    });
    const body = JSON.stringify({ event: 'run.failed' });
    const now = Math.floor(Date.now() / 1000);
    const header = signatureHeader(created.secret, body, now);
    expect(header).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/);
    expect(verifySignature(header, body, created.secret, now)).toBe(true);
    expect(verifySignature(header, body, 'whsec_not-the-secret', now)).toBe(false);
    expect(verifySignature(header, body.replace('failed', 'passed'), created.secret, now)).toBe(false);
    expect(verifySignature(header, body, created.secret, now + 3600)).toBe(false);
    expect(verifySignature(undefined, body, created.secret, now)).toBe(false);

    // Through the real receiver: signed with another endpoint's secret, the delivery is refused by it.
    const other = await api.notifications.createEndpoint({
      orgId: org.id,
      url: receiver.url,
      events: ['run.failed'],
    });
    receiver.secret = other.secret;
    await fetch(receiver.url, {
      method: 'POST',
      headers: { 'concord-signature': header, 'content-type': 'application/json' },
      body,
    });
    const [received] = await receiver.waitFor(1);
    expect(received!.signatureValid).toBe(false);
  });

  it('refuses an address the URL guard refuses, an endpoint without events, and keeps endpoints to owners and admins', async () => {
    const { api, org, owner } = await withEndpointOwner();
    const orgId = org.id;
    await expect(
      api.notifications.createEndpoint({
        orgId,
        url: 'http://169.254.169.254/latest',
        events: ['run.failed'],
      }),
    ).rejects.toThrow(/cloud metadata service/);
    await expect(
      api.notifications.createEndpoint({ orgId, url: 'ftp://example.test/hook', events: ['run.failed'] }),
    ).rejects.toThrow(/Only http and https/);
    await expect(
      api.notifications.createEndpoint({ orgId, url: 'https://example.test/hook', events: [] }),
    ).rejects.toThrow(/Events must have at least 1 item/);
    expect(await api.notifications.endpoints({ orgId })).toEqual([]);

    const editor = callerFor(db.db, await createMember(db.db, orgId, owner.id, 'editor'));
    expect(await code(editor.notifications.endpoints({ orgId }))).toBe('FORBIDDEN');
    const stranger = callerFor(db.db, (await createOwner(db.db)).user);
    expect(await code(stranger.notifications.endpoints({ orgId }))).toBe('NOT_FOUND');
    expect(await code(stranger.notifications.deliveries({ orgId }))).toBe('NOT_FOUND');
  });
});

describe('an endpoint whose creator left', () => {
  it('keeps delivering (the organisation’s alerting), but the list says who added it and that they left', async () => {
    const { api, org, owner } = await withEndpointOwner();
    const orgId = org.id;
    const adminUser = await createMember(db.db, orgId, owner.id, 'admin');
    const admin = callerFor(db.db, adminUser);
    const theirs = await admin.notifications.createEndpoint({
      orgId,
      url: 'http://127.0.0.1:9/their-own-server',
      events: ['run.failed'],
    });
    const listed = async () =>
      new Map((await api.notifications.endpoints({ orgId })).map((e) => [e.id, e.addedBy]));
    expect((await listed()).get(theirs.id)).toEqual({ name: adminUser.name, member: true });

    const membership = (await api.members.list({ orgId })).find((m) => m.userId === adminUser.id)!;
    await api.members.remove({ orgId, membershipId: membership.id });
    expect((await listed()).get(theirs.id)).toEqual({ name: adminUser.name, member: false });
    const [stored] = await db.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, theirs.id));
    expect(stored!.enabled).toBe(true);
  });
});

async function withEndpointOwner() {
  const { user, org } = await createOwner(db.db);
  return { api: callerFor(db.db, user), org, owner: user };
}
