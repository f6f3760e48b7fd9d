// A REST target that takes a write (2xx) but answers with something Concord cannot read — an HTML page
// from a gateway, a body that is not JSON — through the API, against json-server B with its answer
// replaced after it wrote (faults.cjs `passThrough`). The create is not "rejected": the run says the
// target accepted it, that it may exist there and what happens next; the next run links it by its
// match field instead of creating it twice. Without a match field it is not sent again, and setting one
// links it. An update answered so is an update.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RestTargetConfigInput } from '@/server/sync/config/sync-config';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type Fault, type JsonServer } from '../helpers/json-server';
import { restToRest } from '../helpers/sync-more';
import { people, runThroughApi } from '../helpers/sync-setup';

type Row = Record<string, unknown>;

const TARGET: RestTargetConfigInput = {
  createEndpoint: '/people',
  updateEndpoint: '/people/{{targetId}}',
  deleteEndpoint: '/people/{{targetId}}',
};
const GATEWAY_PAGE = '<html><body><h1>Request accepted</h1></body></html>';

let db: TestDatabase;
const peers: JsonServer[] = [];
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  await db.close();
});

async function setup(target: RestTargetConfigInput, hardDeletes = false) {
  const A = await startJsonServer({ people: people(3) });
  const B = await startJsonServer({ people: [] });
  peers.push(A, B);
  const s = await restToRest(db.db, A.url, B.url, target, hardDeletes ? { deleteMode: 'hard' } : {});
  const run = () => runThroughApi(s.api, s.orgId, s.sync.id);
  const contractOf = async (originId: string) => {
    const { rows } = await s.api.contracts.list({ orgId: s.orgId, syncId: s.sync.id, pageSize: 50 });
    return rows.find((c) => c.originId === originId);
  };
  const inB = async () => (await (await fetch(`${B.url}/people`)).json()) as Row[];
  const posts = async () => (await B.requests()).filter((r) => r.method === 'POST').length;
  return { A, B, s, run, contractOf, inB, posts };
}

/** Person 2's create lands in B, and B's answer is replaced by `answer`. */
const answered = (answer: Pick<Fault, 'body' | 'headers' | 'status'>): Fault => ({
  path: '/people',
  method: 'POST',
  whenBodyHas: 'person2@',
  passThrough: true,
  times: 1,
  ...answer,
});

describe('a create the target accepted with an answer Concord cannot read', () => {
  it('says so, and the next run links the object by its match field instead of creating it again', async () => {
    const t = await setup({ ...TARGET, match: { field: 'email', param: 'email' } });
    await t.B.faults([answered({ body: GATEWAY_PAGE, headers: { 'content-type': 'text/html' } })]);

    const first = await t.run();
    expect(first).toMatchObject({ created: 2, failed: 1 });
    const { rows: entries } = await t.s.api.runs.entries({ orgId: t.s.orgId, runId: first.id });
    const entry = entries.find((e) => e.originId === '2');
    expect(entry?.reason).toContain('The target answered 201, so it accepted the object');
    expect(entry?.reason).toContain(
      'a body Concord could not read (content-type text/html; charset=utf-8, starting "<html><body><h1>Request accepted',
    );
    expect(entry?.reason).toContain('The object may have been created there.');
    expect(entry?.reason).toContain('The next run looks for it by its match field `email` and links it');
    // Not the target refusing it: tried again next run.
    expect(await t.contractOf('2')).toMatchObject({ status: 'failed' });
    expect((await t.inB()).filter((p) => p['email'] === 'person2@example.test')).toHaveLength(1);

    const postsBefore = await t.posts();
    const second = await t.run();
    expect(second).toMatchObject({ failed: 0 });
    expect(await t.posts()).toBe(postsBefore);
    const copies = (await t.inB()).filter((p) => p['email'] === 'person2@example.test');
    expect(copies).toHaveLength(1);
    expect(await t.contractOf('2')).toMatchObject({ status: 'synced', targetId: String(copies[0]!['id']) });
  });

  it('without a match field: asks the person to check, sends nothing again, and a match field set later links it', async () => {
    const t = await setup(TARGET);
    await t.B.faults([
      answered({ body: 'Created{', headers: { 'content-type': 'application/json; charset=utf-8' } }),
    ]);

    const first = await t.run();
    expect(first).toMatchObject({ created: 2, failed: 1 });
    const contract = await t.contractOf('2');
    expect(contract?.lastError).toContain('The target answered 201, so it accepted the object');
    expect(contract?.lastError).toContain(
      'content-type application/json; charset=utf-8, starting "Created{"',
    );
    expect(contract?.lastError).toContain(
      'Check the target for it: Concord has no match field to look it up by, so it is not sent again until it changes.',
    );

    const postsBefore = await t.posts();
    await t.run();
    expect(await t.posts()).toBe(postsBefore);
    expect((await t.inB()).filter((p) => p['email'] === 'person2@example.test')).toHaveLength(1);

    // The advice followed: a match field, and the next run links the object it finds.
    await t.s.api.synchronisations.update({
      orgId: t.s.orgId,
      syncId: t.s.sync.id,
      ...t.s.input,
      targetConfig: { ...TARGET, match: { field: 'email', param: 'email' } },
    });
    await t.run();
    expect(await t.posts()).toBe(postsBefore);
    const copies = (await t.inB()).filter((p) => p['email'] === 'person2@example.test');
    expect(copies).toHaveLength(1);
    expect(await t.contractOf('2')).toMatchObject({ status: 'synced', targetId: String(copies[0]!['id']) });
  });

  it('counts an update answered 200 with a body that is not JSON as updated', async () => {
    const t = await setup(TARGET);
    await t.run();
    const target = (await t.contractOf('2'))!.targetId!;
    await fetch(`${t.A.url}/people/2`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Two Renamed' }),
    });
    await t.B.faults([
      {
        path: `/people/${target}`,
        method: 'PUT',
        passThrough: true,
        body: 'OK',
        headers: { 'content-type': 'application/json' },
      },
    ]);
    const second = await t.run();
    expect(second).toMatchObject({ updated: 1, failed: 0 });
    expect(await t.contractOf('2')).toMatchObject({ status: 'synced' });
    expect((await t.inB()).find((p) => String(p['id']) === target)).toMatchObject({ name: 'Two Renamed' });
  });
});

// A target whose credentials are no longer accepted often answers a write with a redirect to its login
// page (303 → GET /login → 200 text/html). The page's 2xx is not the target taking the write.
describe('a write redirected to a page Concord cannot read (a login page)', () => {
  const LOGIN_PAGE = '<!DOCTYPE html><html><body><form action="/login">Sign in</form></body></html>';
  const toLogin = (path: string, method: string): Fault[] => [
    { path, method, status: 303, headers: { location: '/login' }, body: '' },
    {
      path: '/login',
      method: 'GET',
      status: 200,
      body: LOGIN_PAGE,
      headers: { 'content-type': 'text/html' },
    },
  ];

  it('does not count an update as made: failed with the reason, and sent again once the target takes it', async () => {
    const t = await setup(TARGET);
    await t.run();
    const target = (await t.contractOf('2'))!.targetId!;
    await fetch(`${t.A.url}/people/2`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Two Renamed' }),
    });
    await t.B.faults(toLogin(`/people/${target}`, 'PUT'));

    const second = await t.run();
    expect(second).toMatchObject({ updated: 0, failed: 1 });
    const contract = await t.contractOf('2');
    expect(contract).toMatchObject({ status: 'failed' });
    expect(contract?.lastError).toContain(
      'The target answered the update (PUT) with a redirect (303) to a page that answered 200 with a body Concord could not read (content-type text/html',
    );
    expect(contract?.lastError).toContain('the update may not have been made');
    expect((await t.inB()).find((p) => String(p['id']) === target)).toMatchObject({ name: 'Person 2' });

    await t.B.clearFaults();
    expect(await t.run()).toMatchObject({ updated: 1, failed: 0 });
    expect(await t.contractOf('2')).toMatchObject({ status: 'synced' });
    expect((await t.inB()).find((p) => String(p['id']) === target)).toMatchObject({ name: 'Two Renamed' });
  });

  it('keeps a create so answered "may exist": looked up next run, and created once', async () => {
    const t = await setup({ ...TARGET, match: { field: 'email', param: 'email' } });
    await t.B.faults(toLogin('/people', 'POST'));

    expect(await t.run()).toMatchObject({ result: 'error', created: 0, failed: 3 });
    const contract = await t.contractOf('2');
    expect(contract).toMatchObject({ status: 'failed', targetId: null });
    expect(contract?.lastError).toContain(
      'The target answered the create (POST) with a redirect (303) to a page that answered 200 with a body Concord could not read',
    );
    expect(contract?.lastError).toContain('The next run looks for it by its match field `email`');
    expect(await t.inB()).toEqual([]);

    await t.B.clearFaults();
    expect(await t.run()).toMatchObject({ created: 3, failed: 0 });
    expect((await t.inB()).map((p) => p['email']).sort()).toEqual(people(3).map((p) => p.email));
  });

  it('does not count a deletion as made: the object stays in the target until a DELETE is taken', async () => {
    const t = await setup(TARGET, true);
    await t.run();
    const target = (await t.contractOf('3'))!.targetId!;
    await fetch(`${t.A.url}/people/3`, { method: 'DELETE' });
    await t.B.faults(toLogin(`/people/${target}`, 'DELETE'));

    const second = await t.run();
    expect(second).toMatchObject({ deleted: 0, failed: 1 });
    const contract = await t.contractOf('3');
    expect(contract).not.toMatchObject({ status: 'deleted' });
    expect(contract?.lastError).toContain('The target answered the deletion (DELETE) with a redirect (303)');
    expect((await t.inB()).some((p) => String(p['id']) === target)).toBe(true);

    await t.B.clearFaults();
    expect(await t.run()).toMatchObject({ deleted: 1, failed: 0 });
    expect(await t.contractOf('3')).toMatchObject({ status: 'deleted' });
    expect((await t.inB()).some((p) => String(p['id']) === target)).toBe(false);
  });
});
