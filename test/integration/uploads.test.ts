// CSV uploads to a file source: the upload handler streams the body into a new version of the source's
// file (same source, version + 1), refuses what is too large, the wrong source type or another
// organisation's source; the preview and versions procedures read it back; the route wants a session.
// A source can be pinned to one of its own versions (never another source's or organisation's file),
// and a run then reads that version.
import { readFileSync } from 'node:fs';
import type * as NextAuth from 'next-auth';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { POST } from '@/app/api/orgs/[orgId]/sources/[sourceId]/file/route';
import { sources } from '@/server/db/schema';
import { handleUpload } from '@/server/services/source-files';
import { callerFor, createOwner } from '../factories';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { fileToRegister, liveObjects, runAndWait, uploadVersion } from './helpers/sync-more';

// Outside a Next request there are no cookies to read: the session lookup answers "no session", as it
// does for a request without a session cookie. The route and the gate run for real.
vi.mock('next-auth', async (importOriginal) => ({
  ...(await importOriginal<typeof NextAuth>()),
  getServerSession: vi.fn(() => Promise.resolve(null)),
}));

let db: TestDatabase;
let owner: Awaited<ReturnType<typeof createOwner>>;
let outsider: Awaited<ReturnType<typeof createOwner>>;

beforeAll(async () => {
  db = await createTestDatabase();
  owner = await createOwner(db.db);
  outsider = await createOwner(db.db);
});
afterAll(() => db.close());

/** A request body as the browser sends it: a stream of pieces of an awkward size. */
function streamOf(bytes: Uint8Array, size = 7_001): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + size));
      offset += size;
    },
  });
}

const gate = () => ({ orgId: owner.org.id, userId: owner.user.id });
const api = () => callerFor(db.db, owner.user);

async function fileSource(csv: Record<string, string> = {}) {
  return api().sources.create({
    orgId: owner.org.id,
    name: `Upload ${Math.random().toString(36).slice(2, 7)}`,
    type: 'file',
    config: { format: 'csv', csv },
  });
}

async function upload(sourceId: string, bytes: Uint8Array, name = 'data.csv', maxBytes?: number) {
  const request = new Request('http://concord.test/upload', {
    method: 'POST',
    body: streamOf(bytes),
    duplex: 'half',
  } as RequestInit);
  const response = await handleUpload(db.db, gate(), sourceId, request.body, name, 'text/csv', { maxBytes });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('file upload', () => {
  it('stores a real data set as version 1, then a new version on the same source', async () => {
    const source = await fileSource();
    const csv = readFileSync('node_modules/vega-datasets/data/seattle-weather.csv');
    const first = await upload(source.id, csv, 'seattle-weather.csv');
    expect(first.status).toBe(201);
    expect(first.body.file).toMatchObject({ name: 'seattle-weather.csv', size: csv.length, version: 1 });

    const preview = await api().sources.preview({ orgId: owner.org.id, sourceId: source.id });
    expect(preview.file?.version).toBe(1);
    if (preview.preview?.format !== 'csv' || !preview.preview.ok) throw new Error('no CSV preview');
    expect(preview.preview.dialect).toEqual({ delimiter: ',', quote: '"', encoding: 'utf-8' });
    expect(preview.preview.header).toEqual([
      'date',
      'precipitation',
      'temp_max',
      'temp_min',
      'wind',
      'weather',
    ]);
    expect(preview.preview.rows[0]).toMatchObject({ date: '2012-01-01', weather: 'drizzle' });

    const second = await upload(source.id, Buffer.from('date;weather\n2020-01-01;sun\n'), 'v2.csv');
    expect(second.body.file).toMatchObject({ name: 'v2.csv', version: 2 });
    const versions = await api().sources.files({ orgId: owner.org.id, sourceId: source.id });
    expect(versions.map((f) => f.version)).toEqual([2, 1]);
    const listed = await api().sources.list({ orgId: owner.org.id });
    expect(listed.find((s) => s.id === source.id)?.file).toMatchObject({ name: 'v2.csv', version: 2 });

    // The preview re-reads with the options chosen, and can show an older version.
    const latest = await api().sources.preview({ orgId: owner.org.id, sourceId: source.id });
    expect(latest.preview?.format === 'csv' && latest.preview.ok && latest.preview.dialect.delimiter).toBe(
      ';',
    );
    const forced = await api().sources.preview({ orgId: owner.org.id, sourceId: source.id, delimiter: ',' });
    expect(forced.preview?.format === 'csv' && forced.preview.ok && forced.preview.header).toEqual([
      'date;weather',
    ]);
    const old = await api().sources.preview({
      orgId: owner.org.id,
      sourceId: source.id,
      fileId: String((first.body.file as { id: string }).id),
    });
    expect(old.file?.version).toBe(1);
  });

  it('saves the encoding of a non-UTF-8 CSV on the source', async () => {
    const source = await fileSource();
    const latin1 = Buffer.from('id;name\n1;Müller\n2;Gödel\n', 'latin1');
    const done = await upload(source.id, latin1);
    expect(done.body.savedEncoding).toBe('windows-1252');
    const saved = await api().sources.get({ orgId: owner.org.id, sourceId: source.id });
    expect(saved.config).toMatchObject({ csv: { encoding: 'windows-1252' } });
    const preview = await api().sources.preview({ orgId: owner.org.id, sourceId: source.id });
    expect(preview.preview?.format === 'csv' && preview.preview.ok && preview.preview.rows[0]).toEqual({
      id: '1',
      name: 'Müller',
    });
  });

  it('refuses a malformed file with its line number, storing no version', async () => {
    const source = await fileSource();
    const refused = await upload(
      source.id,
      Buffer.from('id,name\n1,"ok"\n2,"never closed\n3,x\n4,y\n'),
      'broken.csv',
    );
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatch(/line 3/);
    expect(await api().sources.files({ orgId: owner.org.id, sourceId: source.id })).toEqual([]);
  });

  it('refuses a file that is too large (413), leaving no version behind', async () => {
    const source = await fileSource();
    const refused = await upload(source.id, Buffer.alloc(50_000, 'a'), 'big.csv', 20_000);
    expect(refused.status).toBe(413);
    expect(refused.body.error).toMatch(/larger than the upload limit/);
    expect(await api().sources.files({ orgId: owner.org.id, sourceId: source.id })).toEqual([]);
  });

  it('refuses a REST source (400) and another organisation’s source (404)', async () => {
    const rest = await api().sources.create({
      orgId: owner.org.id,
      name: 'Not a file',
      type: 'rest',
      config: { baseUrl: 'https://api.example.test' },
    });
    expect((await upload(rest.id, Buffer.from('a,b\n'))).status).toBe(400);
    const theirs = await callerFor(db.db, outsider.user).sources.create({
      orgId: outsider.org.id,
      name: 'Theirs',
      type: 'file',
      config: { format: 'csv' },
    });
    const foreign = await upload(theirs.id, Buffer.from('a,b\n'));
    expect(foreign.status).toBe(404);
    expect(
      await callerFor(db.db, outsider.user).sources.files({ orgId: outsider.org.id, sourceId: theirs.id }),
    ).toEqual([]);
  });
});

describe('pinning a version', () => {
  const PINNED = /^That file is not a version of this source's file/;

  it('reads the pinned version in a run, refuses a file of another source or organisation, and unpins', async () => {
    const s = await fileToRegister(db.db, {
      format: 'csv',
      jsonSchema: { type: 'object', required: ['id', 'name'] },
      mapping: { mapping: { id: 'id', name: 'name' } },
      sourceIdField: 'id',
    });
    const v1 = await uploadVersion(db.db, s, 'id,name\n1,Ada\n2,Grace\n', 'v1.csv');
    const v2 = await uploadVersion(db.db, s, 'id,name\n1,Ada L.\n2,Grace H.\n3,Edsger\n', 'v2.csv');
    const { config } = await s.api.sources.get({ orgId: s.orgId, sourceId: s.source.id });
    const pin = (fileId: string) =>
      s.api.sources.update({ orgId: s.orgId, sourceId: s.source.id, config: { ...config, fileId } });

    const pinned = await pin(v1.id);
    expect(pinned.config).toMatchObject({ format: 'csv', fileId: v1.id });
    const listed = await s.api.sources.list({ orgId: s.orgId });
    expect(listed.find((x) => x.id === s.source.id)?.file).toMatchObject({ id: v1.id, version: 1 });
    const preview = await s.api.sources.preview({ orgId: s.orgId, sourceId: s.source.id });
    expect(preview.file?.version).toBe(1);

    // A run reads version 1, not the newer version 2.
    expect(await runAndWait(s.api, s.orgId, s.sync.id)).toMatchObject({ result: 'success', created: 2 });
    const names = async () => (await liveObjects(db.db, s.schema.id)).map((o) => o.data['name']).sort();
    expect(await names()).toEqual(['Ada', 'Grace']);

    // Another source's file in the same organisation, another organisation's file, an unknown id.
    const other = await fileSource();
    const otherFile = await upload(other.id, Buffer.from('id\n9\n'), 'other.csv');
    const otherId = String((otherFile.body.file as { id: string }).id);
    await expect(pin(otherId)).rejects.toThrow(PINNED);
    const theirs = await callerFor(db.db, outsider.user).sources.create({
      orgId: outsider.org.id,
      name: 'Theirs to pin',
      type: 'file',
      config: { format: 'csv' },
    });
    const theirFile = await uploadVersion(
      db.db,
      { orgId: outsider.org.id, source: theirs, owner: outsider },
      'id\n7\n',
    );
    await expect(pin(theirFile.id)).rejects.toMatchObject({ code: 'BAD_REQUEST', message: PINNED });
    await expect(pin('fil_unknown')).rejects.toThrow(PINNED);
    await expect(
      s.api.sources.create({
        orgId: s.orgId,
        name: 'Pinned from the start',
        type: 'file',
        config: { format: 'csv', fileId: v1.id },
      }),
    ).rejects.toThrow(PINNED);
    const still = await s.api.sources.get({ orgId: s.orgId, sourceId: s.source.id });
    expect(still.config).toMatchObject({ fileId: v1.id });

    // A pin that is no longer one of the source's versions (stored before pins were checked, say)
    // ends the run in error before anything is read, written or deleted.
    await db.db
      .update(sources)
      .set({ config: { ...still.config, fileId: otherId } })
      .where(eq(sources.id, s.source.id));
    const refused = await runAndWait(s.api, s.orgId, s.sync.id);
    expect(refused).toMatchObject({ result: 'error', created: 0, deleted: 0 });
    expect(refused.message).toMatch(/is pinned to a version that is not one of its files/);
    expect(await names()).toEqual(['Ada', 'Grace']);
    await db.db.update(sources).set({ config: still.config }).where(eq(sources.id, s.source.id));

    // Back to the newest: the next run reads version 2.
    const { fileId: _pinned, ...unpinned } = still.config;
    await s.api.sources.update({ orgId: s.orgId, sourceId: s.source.id, config: unpinned });
    expect(await runAndWait(s.api, s.orgId, s.sync.id)).toMatchObject({ result: 'success', created: 1 });
    expect(await names()).toEqual(['Ada L.', 'Edsger', 'Grace H.']);
    expect(v2.version).toBe(2);
  });
});

describe('upload route', () => {
  it('answers 401 without a session', async () => {
    const source = await fileSource();
    const request = new Request(`http://concord.test/api/orgs/${owner.org.id}/sources/${source.id}/file`, {
      method: 'POST',
      body: 'a,b\n1,2\n',
      headers: { 'content-type': 'text/csv', 'x-file-name': 'a.csv' },
    });
    const response = await POST(request, {
      params: Promise.resolve({ orgId: owner.org.id, sourceId: source.id }),
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ error: 'Sign in to continue.' });
  });
});
