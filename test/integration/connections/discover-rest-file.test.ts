// Discovering a REST source (json-server: one page per endpoint, the results position and id field
// detected, the fields typed from the objects) and a CSV file source (its header), and a connection made
// from a REST endpoint that runs into the register.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connections, runs } from '@/server/db/schema';
import { requestDueRuns } from '@/server/runner/schedules';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { failure } from '../helpers/owner-api';
import { people } from '../helpers/people';
import { liveObjects, newOrg, uploadVersion } from '../helpers/sync-more';

let db: TestDatabase;
let peer: JsonServer;

beforeAll(async () => {
  db = await createTestDatabase();
  const everyone = people(12).map((p, i) => ({
    ...p,
    age: 20 + i,
    score: i % 2 ? 1.5 : 2,
    nick: i % 3 ? 'x' : null,
  }));
  peer = await startJsonServer({ people: everyone, empty: [] });
});
afterAll(async () => {
  await peer?.stop();
  await db?.close();
});

describe('discovering a REST source', () => {
  it('learns the fields of an endpoint’s objects from its first page and names the failures', async () => {
    const { api, orgId } = await newOrg(db.db);
    const source = await api.sources.create({
      orgId,
      name: 'People API',
      type: 'rest',
      config: { baseUrl: peer.url },
    });
    const found = await api.connections.discover({
      orgId,
      sourceId: source.id,
      endpoints: ['/people?_page=1&_limit=5', '/nowhere', '/empty'],
    });
    if (!found.ok) throw new Error(found.reason);
    expect(found.failures).toEqual([{ endpoint: '/nowhere', reason: expect.stringContaining('404') }]);
    const [peopleType, emptyType] = found.types;
    expect(peopleType).toMatchObject({
      name: 'people',
      kind: 'endpoint',
      endpoint: '/people?_page=1&_limit=5',
      resultsPosition: '_root',
      idField: 'id',
      problem: null,
    });
    expect(peopleType!.fields).toEqual([
      // The API gives new objects their ids: not required of an object added in the register.
      { name: 'id', type: 'integer', nullable: false, key: true, givenBySource: true },
      { name: 'name', type: 'string', nullable: false, key: false },
      { name: 'email', type: 'string', nullable: false, key: false },
      { name: 'address', type: 'object', nullable: false, key: false },
      { name: 'age', type: 'integer', nullable: false, key: false },
      { name: 'score', type: 'number', nullable: false, key: false },
      { name: 'nick', type: 'string', nullable: true, key: false },
    ]);
    expect(emptyType).toMatchObject({ name: 'empty', problem: expect.stringContaining('no objects') });

    // Only the first page was asked for.
    const asked = (await peer.requests()).filter((r) => r.url.startsWith('/people'));
    expect(asked.map((r) => ({ method: r.method, url: r.url }))).toEqual([
      { method: 'GET', url: '/people?_page=1&_limit=5' },
    ]);
  });

  it('creates a connection from an endpoint whose run fills the register with every page', async () => {
    const { api, orgId } = await newOrg(db.db);
    const source = await api.sources.create({
      orgId,
      name: 'People API',
      type: 'rest',
      config: { baseUrl: peer.url },
    });
    const found = await api.connections.discover({
      orgId,
      sourceId: source.id,
      endpoints: ['/people?_page=1&_limit=5'],
    });
    if (!found.ok) throw new Error(found.reason);
    const type = found.types[0]!;
    const connection = await api.connections.create({
      orgId,
      name: 'People',
      sourceId: source.id,
      types: [{ ...type, fields: [...type.fields], idField: type.idField! }],
    });
    const { runs } = await api.connections.run({ orgId, connectionId: connection.id });
    expect(runs).toHaveLength(1);
    const deadline = Date.now() + 30_000;
    let run = await api.runs.get({ orgId, runId: runs[0]!.runId });
    while (run.status !== 'finished' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      run = await api.runs.get({ orgId, runId: runs[0]!.runId });
    }
    expect(run).toMatchObject({ result: 'success', created: 12, pagesFetched: 3 });
    const status = await api.connections.get({ orgId, connectionId: connection.id });
    expect(status.members[0]!.lastRun).toMatchObject({ id: run.id, created: 12 });
    expect(status.members[0]!.contracts).toEqual({ total: 12, byStatus: { synced: 12 } });
    const member = await api.synchronisations.get({ orgId, syncId: status.members[0]!.sync.id });
    expect(member.connectionId).toBe(connection.id);
    const objects = await liveObjects(db.db, status.members[0]!.sync.targetSchemaId!);
    expect(objects).toHaveLength(12);
    expect(objects.find((o) => o.data.id === 3)!.data).toEqual({
      id: 3,
      name: 'Person 3',
      email: 'person3@example.test',
      address: { city: 'Leiden' },
      age: 22,
      score: 2,
      nick: 'x',
    });
  });

  it('runs every member on the connection’s one schedule', async () => {
    // A database of its own: no embedded runner ticks it, so the test decides when schedules are due.
    const own = await createTestDatabase();
    const { api, orgId } = await newOrg(own.db);
    const source = await api.sources.create({
      orgId,
      name: 'People API',
      type: 'rest',
      config: { baseUrl: peer.url },
    });
    const found = await api.connections.discover({ orgId, sourceId: source.id, endpoints: ['/people'] });
    if (!found.ok) throw new Error(found.reason);
    const type = found.types[0]!;
    const connection = await api.connections.create({
      orgId,
      name: 'Scheduled',
      sourceId: source.id,
      types: [{ ...type, fields: [...type.fields], idField: 'id' }],
    });
    const bad = await failure(
      api.connections.setSchedule({ orgId, connectionId: connection.id, scheduleCron: 'every day' }),
    );
    expect(bad).toMatchObject({ code: 'BAD_REQUEST', field: 'scheduleCron' });
    const saved = await api.connections.setSchedule({
      orgId,
      connectionId: connection.id,
      scheduleCron: '0 3 * * *',
      scheduleTimezone: 'Europe/Amsterdam',
    });
    expect(saved.nextRunAt!.getTime()).toBeGreaterThan(Date.now());
    // Not due yet: nothing is requested. Due: its member's run is, and the next time moves on.
    expect(await requestDueRuns(own.db)).toEqual([]);
    await own.db
      .update(connections)
      .set({ nextRunAt: new Date(Date.now() - 1000) })
      .where(eq(connections.id, connection.id));
    const requested = await requestDueRuns(own.db);
    expect(requested).toHaveLength(1);
    const [run] = await own.db.select().from(runs).where(eq(runs.id, requested[0]!));
    const status = await api.connections.get({ orgId, connectionId: connection.id });
    expect(run).toMatchObject({ trigger: 'schedule', synchronisationId: status.members[0]!.sync.id });
    expect(status.connection.nextRunAt!.getTime()).toBeGreaterThan(Date.now());
    await own.close();
  });

  it('ungroups on delete, keeping the synchronisations; an unused source goes with its empty connection', async () => {
    const { api, orgId } = await newOrg(db.db);
    const source = await api.sources.create({
      orgId,
      name: 'People API',
      type: 'rest',
      config: { baseUrl: peer.url },
    });
    const found = await api.connections.discover({ orgId, sourceId: source.id, endpoints: ['/people'] });
    if (!found.ok) throw new Error(found.reason);
    const type = { ...found.types[0]!, fields: [...found.types[0]!.fields], idField: 'id' };
    const first = await api.connections.create({ orgId, name: 'One', sourceId: source.id, types: [type] });
    const [member] = (await api.connections.get({ orgId, connectionId: first.id })).members;
    await api.connections.delete({ orgId, connectionId: first.id });
    expect(await api.connections.list({ orgId })).toEqual([]);
    const kept = await api.synchronisations.get({ orgId, syncId: member!.sync.id });
    expect(kept.connectionId).toBeNull();

    // A connection whose synchronisations were deleted one by one does not hold its source.
    const second = await api.connections.create({ orgId, name: 'Two', sourceId: source.id, types: [type] });
    const [other] = (await api.connections.get({ orgId, connectionId: second.id })).members;
    await api.synchronisations.delete({ orgId, syncId: other!.sync.id });
    await api.synchronisations.delete({ orgId, syncId: kept.id });
    await api.sources.delete({ orgId, sourceId: source.id });
    expect(await api.connections.list({ orgId })).toEqual([]);
  });

  it('runs the enabled members only, naming the disabled ones', async () => {
    const { api, orgId } = await newOrg(db.db);
    const source = await api.sources.create({
      orgId,
      name: 'People API',
      type: 'rest',
      config: { baseUrl: peer.url },
    });
    const found = await api.connections.discover({
      orgId,
      sourceId: source.id,
      endpoints: ['/people', '/people?_limit=3'],
    });
    if (!found.ok) throw new Error(found.reason);
    expect(found.types.map((t) => t.name)).toEqual(['people', 'people (2)']);
    const types = found.types.map((t, i) => ({
      ...t,
      name: `people ${i + 1}`,
      fields: [...t.fields],
      idField: 'id',
    }));
    const connection = await api.connections.create({ orgId, name: 'Partly', sourceId: source.id, types });
    const { members } = await api.connections.get({ orgId, connectionId: connection.id });
    await api.synchronisations.setEnabled({ orgId, syncId: members[1]!.sync.id, enabled: false });
    const started = await api.connections.run({ orgId, connectionId: connection.id });
    expect(started.runs.map((r) => r.syncId)).toEqual([members[0]!.sync.id]);
    expect(started.skipped).toEqual([
      { syncId: members[1]!.sync.id, name: 'Partly · people 2', reason: 'disabled' },
    ]);
  });

  it('asks for an endpoint when none is given', async () => {
    const { api, orgId } = await newOrg(db.db);
    const source = await api.sources.create({
      orgId,
      name: 'People API',
      type: 'rest',
      config: { baseUrl: peer.url },
    });
    const refused = await failure(api.connections.discover({ orgId, sourceId: source.id, endpoints: [' '] }));
    expect(refused).toMatchObject({ code: 'BAD_REQUEST', field: 'endpoints' });
  });
});

describe('discovering a CSV file source', () => {
  it('gives the file’s columns as the fields, the id column as key', async () => {
    const s = await newOrg(db.db);
    const source = await s.api.sources.create({
      orgId: s.orgId,
      name: 'Products file',
      type: 'file',
      config: { format: 'csv' },
    });
    const before = await s.api.connections.discover({ orgId: s.orgId, sourceId: source.id });
    expect(before).toEqual({ ok: false, reason: expect.stringContaining('Upload a file first') });
    await uploadVersion(
      db.db,
      { ...s, source },
      'sku;title;price\nA1;Kettle;19.95\nB2;Mug;4.50\n',
      'products.csv',
    );
    const found = await s.api.connections.discover({ orgId: s.orgId, sourceId: source.id });
    if (!found.ok) throw new Error(found.reason);
    expect(found.types).toEqual([
      {
        name: 'products',
        kind: 'file',
        endpoint: '',
        idField: 'sku',
        problem: null,
        fields: [
          { name: 'sku', type: 'string', nullable: false, key: true },
          { name: 'title', type: 'string', nullable: false, key: false },
          { name: 'price', type: 'string', nullable: false, key: false },
        ],
      },
    ]);
  });
});
