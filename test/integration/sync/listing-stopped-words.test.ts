// A REST source whose page 3 never answers (the source's deadline, 1 s, passes). The run ends in error,
// deletes nothing, names the page, and the next run completes. Before, its message and its timeline read
// "…within 1 s (the deadline per request). — the listing is incomplete" and "…request)..": the reason's own full stop
// stood before the sentence that went on. It now reads as one sentence each.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFor, createOwner } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { liveObjects } from '../helpers/sync-more';
import { PERSON_MAPPING, people, personTarget, runDirect } from '../helpers/sync-setup';
import { json, startServer, type TestServer } from './http/server';

let db: TestDatabase;
let peer: TestServer;
let list = people(30);
let silent = false;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startServer((request, res) => {
    const page = Number(new URL(request.url, peer.origin).searchParams.get('page') ?? 1);
    // Page 3 never answers while silent: the request runs into the source's deadline.
    if (silent && page === 3) return;
    const next = page * 10 < list.length ? `/people?page=${page + 1}` : null;
    json(res, 200, { items: list.slice((page - 1) * 10, page * 10), next });
  });
});
afterAll(async () => {
  await peer.close();
  await db.close();
});

describe('a page that never answers', () => {
  it('ends the run in error naming the page, in sentences that read as one, and deletes nothing', async () => {
    const owner = await createOwner(db.db);
    const api = callerFor(db.db, owner.user);
    const orgId = owner.org.id;
    const config = { baseUrl: peer.origin, timeoutMs: 1000, deadlineMs: 1000 };
    const source = await api.sources.create({ orgId, name: 'People API', type: 'rest', config });
    const { register, schema, mapping } = await personTarget(api, orgId, PERSON_MAPPING);
    const sync = await api.synchronisations.create({
      orgId,
      name: 'People into the directory',
      sourceId: source.id,
      sourceEndpoint: '/people',
      mappingId: mapping.id,
      targetType: 'register',
      targetRegisterId: register.id,
      targetSchemaId: schema.id,
    });
    expect(await runDirect(db.db, orgId, sync.id)).toMatchObject({ result: 'success', created: 30 });

    list = list.filter((p) => p.id !== 25);
    silent = true;
    const run = await runDirect(db.db, orgId, sync.id);
    silent = false;
    expect(run).toMatchObject({ result: 'error', complete: false, deleted: 0 });
    expect(run.message).toMatch(
      /^Page 3 could not be fetched: GET http:\/\/127\.0\.0\.1:\d+\/people\?page=3 failed after 2 attempts: the whole answer did not arrive within 1 s \(the deadline per request\) — the listing is incomplete, so nothing was deleted\./,
    );
    const timeline = await api.runs.timeline({ orgId, runId: run.id, pageSize: 50 });
    const stopped = timeline.rows.find((line) => line.detail?.startsWith('The listing stopped'));
    expect(stopped?.detail).toMatch(/within 1 s \(the deadline per request\)\.$/);
    expect(await liveObjects(db.db, schema.id)).toHaveLength(30);

    expect(await runDirect(db.db, orgId, sync.id)).toMatchObject({ result: 'success', deleted: 1 });
  });
});
