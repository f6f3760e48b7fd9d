// The REST target against json-server 0.17.4 as a real peer: creates, PUT and PATCH updates,
// idInRequestBody, deletes (also of what is already gone), refusals as per-object results, a POST retried
// under its Idempotency-Key, outages thrown, and the URL guard. Each test writes to its own collection.
import { createServer, type AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { restSourceConfig } from '@/server/sync/config/source-config';
import { restTargetConfigSchema, type RestTargetConfigInput } from '@/server/sync/config/sync-config';
import { hashValue } from '@/server/sync/core/canonical-json';
import type { ChangeOrigin } from '@/server/sync/ports';
import { ExplainedStop } from '@/server/sync/stop';
import { createRestTarget, type RestTargetOptions } from '@/server/sync/targets/rest';
import { startJsonServer, type JsonServer } from '../helpers/json-server';

const origin: ChangeOrigin = { systemId: 'src_a', syncId: 'syn_1', runId: 'run_1' };
const stored = (n: number, name = `old ${n}`) => ({ id: n, name, extra: 'kept?' });

let server: JsonServer;
const opened: { close(): Promise<void> }[] = [];
beforeAll(async () => {
  server = await startJsonServer({
    created: [],
    noid: [],
    refused: [],
    unretried: [],
    blocked: [],
    put: [stored(1), stored(2), stored(3)],
    patch: [stored(1)],
    idbody: [stored(1)],
    deleted: [stored(1), stored(2), stored(3)],
  });
});
afterAll(() => server.stop());
afterEach(async () => {
  await Promise.all(opened.splice(0).map((target) => target.close()));
  await server.clearFaults();
});

function target(config: RestTargetConfigInput, extra: Partial<RestTargetOptions> = {}) {
  const made = createRestTarget({
    systemId: 'src_json',
    source: restSourceConfig.parse({ baseUrl: server.url }),
    secrets: {},
    target: restTargetConfigSchema.parse(config),
    urlPolicy: { allowPrivateNetworks: true },
    http: { sleep: () => Promise.resolve(), retry: { baseDelayMs: 1 } },
    ...extra,
  });
  opened.push(made);
  return made;
}

const creates = (...names: string[]) =>
  names.map((name) => ({
    originId: `o-${name}`,
    object: { name },
    idempotencyKey: `k-${name}`,
    origin,
    page: 1,
  }));
const updates = (...ids: number[]) =>
  ids.map((id) => ({
    originId: `o-${id}`,
    targetId: String(id),
    object: { name: `new ${id}` },
    origin,
    page: 1,
  }));
// json-server persists to db.json after it answers: poll the file, or ask the server for what it holds now.
/** A port nothing listens on: one the system just handed out and took back. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

const collection = (name: string) => server.read()[name] as Record<string, unknown>[];
const live = async (name: string) =>
  (await (await fetch(`${server.url}/${name}`)).json()) as Record<string, unknown>[];

describe('REST target on json-server', () => {
  it('creates objects and reads their ids and hashes from the answers', async () => {
    const results = await target({ createEndpoint: '/created' }).create(creates('a', 'b', 'c', 'd', 'e'));
    await expect.poll(() => collection('created')).toHaveLength(5);
    const rows = await live('created');
    expect(results.map((r) => r.originId)).toEqual(['o-a', 'o-b', 'o-c', 'o-d', 'o-e']);
    for (const result of results) {
      if (!result.ok) throw new Error(result.reason);
      const row = rows.find((r) => String(r['id']) === result.targetId);
      expect(row?.['name']).toBe(result.originId.slice(2));
      expect(result.targetHash).toBe(hashValue(row));
    }
  });

  it('fails an object whose create answer has no id at idPath, saying it may exist there', async () => {
    // An answer that names the object neither in its body nor in a Location header.
    await server.faults([
      {
        path: '/noid',
        method: 'POST',
        passThrough: true,
        headers: { 'content-type': 'application/json' },
        body: { created: true },
      },
    ]);
    const [result] = await target({ createEndpoint: '/noid', idPath: 'data.id' }).create(creates('x'));
    // The target took it (201): not a refusal; without a match field nothing can look it up later.
    expect(result).toEqual({
      originId: 'o-x',
      ok: false,
      mayExist: true,
      reason: expect.stringMatching(
        /^The target answered 201, so it accepted the object, but with an answer without an id at `data\.id`: .* may have been created there\. Check the target for it/,
      ) as string,
    });
  });

  it('updates with PUT (replacing) and PATCH (merging)', async () => {
    const put = await target({ updateEndpoint: '/put/{{targetId}}' }).update(updates(1, 3));
    expect(put.every((r) => r.ok)).toBe(true);
    await expect
      .poll(() => collection('put'))
      .toEqual([{ id: 1, name: 'new 1' }, stored(2), { id: 3, name: 'new 3' }]);
    expect(put[0]).toMatchObject({ targetId: '1', targetHash: hashValue({ id: 1, name: 'new 1' }) });

    const patch = await target({ updateEndpoint: '/patch/{{targetId}}', updateMethod: 'PATCH' }).update(
      updates(1),
    );
    expect(patch[0]).toMatchObject({ ok: true, targetId: '1' });
    await expect.poll(() => collection('patch')).toEqual([{ ...stored(1), name: 'new 1' }]);
  });

  it('puts the target id into the body with idInRequestBody', async () => {
    await target({ updateEndpoint: '/idbody/{{targetId}}', idInRequestBody: 'remoteId' }).update(updates(1));
    await expect.poll(() => collection('idbody')).toEqual([{ id: 1, name: 'new 1', remoteId: '1' }]);
  });

  it('reports a refused update and an unfillable endpoint per object while the rest succeed', async () => {
    await server.faults([
      {
        path: '/put/2',
        method: 'PUT',
        status: 422,
        headers: { 'content-type': 'application/json' },
        body: { error: 'name is too short' },
      },
    ]);
    const unfillable = await target({ updateEndpoint: '/put/{{object.slug}}' }).update(updates(1));
    // The object has no `slug`: the request is not sent, and the reason says why.
    expect(unfillable[0]).toMatchObject({
      ok: false,
      reason: expect.stringContaining('needs "object.slug"') as string,
    });
    const fine = await target({ updateEndpoint: '/put/{{targetId}}' }).update(updates(1, 2, 3));
    expect(fine.map((r) => r.ok)).toEqual([true, false, true]);
    const refused = fine[1];
    expect(refused && !refused.ok && refused.reason).toMatch(
      /^PUT http:\/\/127\.0\.0\.1:\d+\/put\/2 answered 422 Unprocessable Entity: \{"error":"name is too short"\}$/,
    );
  });

  it('reports a refused create while the others in the batch are created', async () => {
    await server.faults([
      { path: '/refused', method: 'POST', status: 422, body: { error: 'name is required' }, times: 1 },
    ]);
    const results = await target({ createEndpoint: '/refused' }, { concurrency: 1 }).create(
      creates('p', 'q', 'r'),
    );
    expect(results.map((r) => r.ok)).toEqual([false, true, true]);
    expect(results[0]).toMatchObject({
      reason: expect.stringContaining('422 Unprocessable Entity') as string,
    });
    expect(results[0]).toMatchObject({ reason: expect.stringContaining('name is required') as string });
    await expect.poll(() => collection('refused').map((r) => r['name'])).toEqual(['q', 'r']);
  });

  it('repeats a POST answered with a 500 under the same Idempotency-Key, and creates it once', async () => {
    await server.faults([{ path: '/unretried', method: 'POST', status: 500, times: 1 }]);
    const [result] = await target({ createEndpoint: '/unretried' }).create(creates('once'));
    expect(result).toMatchObject({ ok: true });
    const posts = (await server.requests()).filter((r) => r.url === '/unretried' && r.method === 'POST');
    expect(posts.map((p) => p.idempotencyKey)).toEqual(['k-once', 'k-once']);
    expect((await live('unretried')).map((r) => r['name'])).toEqual(['once']);
  });

  it('rejects a 400 at once: the target refused the object itself', async () => {
    await server.faults([{ path: '/unretried', method: 'POST', status: 400, body: 'bad', times: 1 }]);
    const [result] = await target({ createEndpoint: '/unretried' }).create(creates('bad'));
    expect(result).toEqual({
      originId: 'o-bad',
      ok: false,
      reason: expect.stringContaining('400') as string,
    });
    const posts = (await server.requests()).filter((r) => r.idempotencyKey === 'k-bad');
    expect(posts).toHaveLength(1);
  });

  it('deletes or marks deleted, counting an object that is already gone as deleted', async () => {
    const t = target({ deleteEndpoint: '/deleted/{{targetId}}' });
    const hard = await t.delete(
      [
        { originId: 'o-1', targetId: '1', origin },
        { originId: 'o-99', targetId: '99', origin },
      ],
      'hard',
    );
    expect(hard).toEqual([
      { originId: 'o-1', ok: true },
      { originId: 'o-99', ok: true },
    ]);
    // 'soft' marks the object deleted (by default a PATCH of {"deleted": true} to the delete endpoint).
    const soft = await t.delete([{ originId: 'o-2', targetId: '2', origin }], 'soft');
    expect(soft).toEqual([{ originId: 'o-2', ok: true }]);
    await expect.poll(() => collection('deleted')).toEqual([{ ...stored(2), deleted: true }, stored(3)]);
  });

  it('throws when the target cannot be reached at all, so the step is retried', async () => {
    const port = await closedPort();
    const down = target(
      { createEndpoint: '/created' },
      { source: restSourceConfig.parse({ baseUrl: `http://127.0.0.1:${port}` }) },
    );
    await expect(down.create(creates('u', 'v', 'w', 'x', 'y', 'z'))).rejects.toThrow(
      /^The target could not be reached; nothing was created\. POST http:\/\/127\.0\.0\.1:\d+\/created failed after 4 attempts: the connection was refused/,
    );
  });

  it('refuses 127.0.0.1 under the default policy, per object and without calling it', async () => {
    const results = await target(
      { createEndpoint: '/blocked' },
      { urlPolicy: { allowPrivateNetworks: false } },
    ).create(creates('m', 'n'));
    expect(results).toHaveLength(2);
    for (const result of results) {
      expect(result).toMatchObject({
        ok: false,
        reason: expect.stringContaining(
          'was not sent: 127.0.0.1, a loopback address; calls into private networks are not allowed',
        ) as string,
      });
    }
    expect(await live('blocked')).toEqual([]);
  });

  it('keeps the secret out of a refusal that echoes it', async () => {
    await server.faults([
      { path: '/created', method: 'POST', status: 403, body: 'forbidden for tok-4242-secret' },
      { path: '/refused', method: 'POST', status: 401, body: 'bad token tok-4242-secret' },
    ]);
    const withSecret = (endpoint: string) =>
      target(
        { createEndpoint: endpoint },
        {
          source: restSourceConfig.parse({ baseUrl: server.url, auth: { type: 'bearer' } }),
          secrets: { token: 'tok-4242-secret' },
        },
      );
    // A refusal of this object's write, in its result.
    const [result] = await withSecret('/created').create(creates('s'));
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('403 Forbidden') as string });
    expect(result && !result.ok && result.reason).not.toContain('tok-4242-secret');
    // Refused credentials, which stop the run, in the stop's words.
    const stop = await withSecret('/refused')
      .create(creates('s'))
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(stop).toBeInstanceOf(ExplainedStop);
    expect(String((stop as Error).message)).toContain('401 Unauthorized');
    expect(String((stop as Error).message)).not.toContain('tok-4242-secret');
  });
});
