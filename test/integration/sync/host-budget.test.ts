// One request budget per host, measured from the peers' own request logs: two synchronisations of two
// organisations reading the same fast source, each set to 10 requests per second, together stay at
// 10 per second (and without the setting they do not), as do a pull from a host and a push into it; a
// 429's Retry-After and a spent RateLimit window hold every request to the host, not only the one that
// was told.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpClient } from '@/server/sync/http';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startFastSource, type FastSource } from '../helpers/fast-source';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import type { PeerRequest } from '../helpers/peer-process';
import { restToRest } from '../helpers/sync-more';
import { people, restToRegister, runThroughApi } from '../helpers/sync-setup';

let db: TestDatabase;
const peers: { stop(): Promise<void> }[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  await db.close();
});

/** The most requests that arrived within any one second. */
function busiestSecond(requests: readonly PeerRequest[]): number {
  const times = requests.map((r) => r.at).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[j]! <= times[i]! - 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

/** Two organisations, each reading 15 pages of its own collection from the same source host. */
async function twoSyncsOn(peer: FastSource, rateLimit?: { requestsPerSecond: number }) {
  const syncs = await Promise.all(
    ['people', 'staff'].map(async (collection) => {
      const s = await restToRegister(db.db, peer.url, {
        sourceEndpoint: `/${collection}?_page=1&_limit=10`,
      });
      if (rateLimit)
        await s.api.sources.update({
          orgId: s.orgId,
          sourceId: s.source.id,
          config: { baseUrl: peer.url, rateLimit },
        });
      return s;
    }),
  );
  const runs = await Promise.all(syncs.map((s) => runThroughApi(s.api, s.orgId, s.sync.id)));
  for (const run of runs) expect(run).toMatchObject({ result: 'success', created: 150 });
  return peer.requests();
}

describe('one rate budget per host', () => {
  it('keeps two synchronisations of the same host together at its 10 requests per second', async () => {
    const peer = await startFastSource({ people: people(150), staff: people(150, 1000) });
    peers.push(peer);
    const requests = await twoSyncsOn(peer, { requestsPerSecond: 10 });
    expect(requests).toHaveLength(30);
    // Starts are spaced 100 ms apart; arrival jitter may let an 11th into a second.
    expect(busiestSecond(requests)).toBeLessThanOrEqual(11);
    const span = requests.at(-1)!.at - requests[0]!.at;
    expect((requests.length - 1) / (span / 1000)).toBeLessThanOrEqual(10.5);
    // Both ran at once (so it is the shared budget that held them, not taking turns): each one's
    // requests began before the other's ended.
    const of = (name: string) => requests.filter((r) => r.url.startsWith(`/${name}`)).map((r) => r.at);
    const [people_, staff] = [of('people'), of('staff')];
    expect(Math.max(people_[0]!, staff[0]!)).toBeLessThan(Math.min(people_.at(-1)!, staff.at(-1)!));
  });

  it('sends as fast as the host answers when no budget is set (the measure can tell)', async () => {
    const peer = await startFastSource({ people: people(150), staff: people(150, 1000) });
    peers.push(peer);
    const requests = await twoSyncsOn(peer);
    expect(requests).toHaveLength(30);
    expect(busiestSecond(requests)).toBeGreaterThan(11);
  });
});

describe('reads and writes share the budget', () => {
  it('holds a pull from a host and a push into it together at 10 requests per second', async () => {
    const [host, other] = await Promise.all([
      startJsonServer({ people: people(150), staff: [] }),
      startJsonServer({ people: people(15, 500) }),
    ]);
    peers.push(host, other);
    const budget = { baseUrl: host.url, rateLimit: { requestsPerSecond: 10 } };
    // One organisation reads the host's people; another writes its own people into the host's staff.
    const pull = await restToRegister(db.db, host.url);
    await pull.api.sources.update({ orgId: pull.orgId, sourceId: pull.source.id, config: budget });
    const push = await restToRest(db.db, other.url, host.url, { createEndpoint: '/staff' });
    await push.api.sources.update({ orgId: push.orgId, sourceId: push.target.id, config: budget });
    const start = Date.now();
    const [pulled, pushed] = await Promise.all([
      runThroughApi(pull.api, pull.orgId, pull.sync.id),
      runThroughApi(push.api, push.orgId, push.sync.id),
    ]);
    expect(pulled).toMatchObject({ result: 'success', created: 150 });
    expect(pushed).toMatchObject({ result: 'success', created: 15 });
    const requests = (await host.requests()).filter((r) => r.at >= start);
    expect(requests.filter((r) => r.method === 'POST')).toHaveLength(15);
    expect(requests.filter((r) => r.method === 'GET')).toHaveLength(15);
    expect(busiestSecond(requests)).toBeLessThanOrEqual(11);
  });
});

describe('the host says to wait', () => {
  let server: JsonServer;
  beforeAll(async () => {
    server = await startJsonServer({ items: [{ id: 1 }], other: [{ id: 2 }] });
    peers.push(server);
  });

  // Real clock and the process-wide budgets, as a run has them; two clients, as two synchronisations.
  const client = () => createHttpClient({ baseUrl: server.url, urlPolicy: { allowPrivateNetworks: true } });
  const since = async (start: number) => (await server.requests()).filter((r) => r.at >= start);

  it("holds every request to the host for a 429's Retry-After, not only the retried one", async () => {
    await server.clearFaults();
    await server.faults([
      { path: '/items', status: 429, headers: { 'retry-after': '1' }, body: 'slow down', times: 1 },
    ]);
    const start = Date.now();
    const [a, b] = [client(), client()];
    // The other client asks once the 429 has arrived: its retry hook runs after the host is paused
    // (a fixed wait here raced a loaded machine, which may take longer to get the 429 in).
    let refused!: () => void;
    const paused = new Promise<void>((resolve) => (refused = resolve));
    const first = a.send({ endpoint: '/items', onRetry: () => refused() });
    await paused;
    const second = b.send({ endpoint: '/other' });
    expect((await first).ok).toBe(true);
    expect((await second).ok).toBe(true);
    const log = await since(start);
    expect(log[0]?.url).toBe('/items');
    // After the pause the retry and the other client's request go in either order.
    expect(
      log
        .slice(1)
        .map((r) => r.url)
        .sort(),
    ).toEqual(['/items', '/other']);
    const refusedAt = log[0]!.at;
    expect(log[1]!.at - refusedAt).toBeGreaterThanOrEqual(950);
    expect(log[2]!.at - refusedAt).toBeGreaterThanOrEqual(950);
    await Promise.all([a.close(), b.close()]);
  });

  it('holds the host when an answer says its window is spent (RateLimit-Remaining: 0)', async () => {
    await server.clearFaults();
    await server.faults([
      {
        path: '/items',
        status: 200,
        headers: { 'content-type': 'application/json', 'ratelimit-remaining': '0', 'ratelimit-reset': '1' },
        body: [{ id: 1 }],
        times: 1,
      },
    ]);
    const start = Date.now();
    const [a, b] = [client(), client()];
    expect((await a.send({ endpoint: '/items' })).ok).toBe(true);
    expect((await b.send({ endpoint: '/other' })).ok).toBe(true);
    const log = await since(start);
    expect(log.map((r) => r.url)).toEqual(['/items', '/other']);
    expect(log[1]!.at - log[0]!.at).toBeGreaterThanOrEqual(950);
    await Promise.all([a.close(), b.close()]);
  });
});
