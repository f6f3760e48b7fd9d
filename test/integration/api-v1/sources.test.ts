// Sources through /api/v1, called as a program would with the generated client: create, read, change
// and delete them with write-only secrets, test their connection through the URL guard, and upload
// versions of a file source's file (an unreadable file is refused and never becomes the version read).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sources } from '@/server/db/schema';
import { embeddedRunnerFor } from '@/server/runner/dispatch';
import { callerFor, createOwner } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { people, restToRegister } from '../helpers/sync-setup';
import { apiClient, problemOf, raw, useDatabase } from './client';

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;
let writer: ReturnType<typeof apiClient>;
let writeKey: string;

const SECRET = 'tk-9f2c61d0-secret';

beforeAll(async () => {
  db = await createTestDatabase();
  await useDatabase(db);
  peer = await startJsonServer({ people: people(3) });
  s = await restToRegister(db.db, peer.url);
  writeKey = (await s.api.apiKeys.create({ orgId: s.orgId, name: 'w', scopes: ['read', 'write'] })).key;
  writer = apiClient(writeKey);
});
afterAll(async () => {
  await embeddedRunnerFor(db.db).idle();
  await peer.stop();
  await db.close();
});

const csv = (text: string) => ({
  body: text,
  bodySerializer: (body: unknown) => body as string,
  headers: { 'content-type': 'text/csv' },
});

async function fileSource(name: string) {
  const { data } = await writer.POST('/sources', {
    body: { name, type: 'file', config: { format: 'csv', csv: { idColumn: 'id' } } },
  });
  return data!.id;
}

describe('sources', () => {
  it('takes secrets in and never gives them back, saying only which are set', async () => {
    const created = await writer.POST('/sources', {
      body: {
        name: 'People (key)',
        type: 'rest',
        config: { baseUrl: peer.url, auth: { type: 'apiKey', in: 'query', name: 'key' } },
        secrets: { apiKey: SECRET },
      },
    });
    expect(created.response.status).toBe(201);
    expect(created.data).toMatchObject({ name: 'People (key)', type: 'rest', secretsSet: ['apiKey'] });
    const id = created.data!.id;

    const got = await writer.GET('/sources/{sourceId}', { params: { path: { sourceId: id } } });
    const listed = await writer.GET('/sources', { params: { query: { limit: 200 } } });
    for (const answer of [created.data, got.data, listed.data])
      expect(JSON.stringify(answer)).not.toContain(SECRET);
    expect(listed.data!.items.map((i) => i.id)).toContain(id);

    // The secret is used: the test's request carries it, and the answer blanks it out.
    const test = await writer.POST('/sources/{sourceId}/test', {
      params: { path: { sourceId: id } },
      body: { endpoint: '/people' },
    });
    expect(test.data).toMatchObject({ ok: true, detected: { idField: 'id', objectCount: 3 } });
    expect(JSON.stringify(test.data)).not.toContain(SECRET);
    const seen = (await peer.requests()).map((r) => r.url);
    expect(seen.some((url) => url.includes(SECRET))).toBe(true);

    // Removing the secret: the answer says none is set.
    const cleared = await writer.PATCH('/sources/{sourceId}', {
      params: { path: { sourceId: id } },
      body: { secrets: { apiKey: null } },
    });
    expect(cleared.data).toMatchObject({ name: 'People (key)', secretsSet: [] });
  });

  it('refuses bad settings with a problem naming each field', async () => {
    const badUrl = await writer.POST('/sources', {
      body: { name: 'Bad', type: 'rest', config: { baseUrl: 'ftp://files.example.com' } },
    });
    expect(badUrl.response.status).toBe(400);
    expect(badUrl.response.headers.get('content-type')).toBe('application/problem+json');
    expect(problemOf(badUrl.error).errors).toEqual([
      expect.objectContaining({ field: 'body.config.baseUrl', detail: expect.stringMatching(/http/) }),
    ]);

    const badSecret = await writer.POST('/sources', {
      body: { name: 'Bad', type: 'rest', config: { baseUrl: peer.url }, secrets: { passwrd: 'x' } },
    });
    expect(problemOf(badSecret.error)).toMatchObject({
      status: 400,
      errors: [expect.objectContaining({ field: 'body.secrets.passwrd' })],
    });

    const { data: all } = await writer.GET('/sources', { params: { query: { limit: 200 } } });
    expect(all!.items.map((i) => i.name)).not.toContain('Bad');
  });

  it('pages the list with a cursor and a Link header', async () => {
    const names: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await writer.GET('/sources', { params: { query: { limit: 1, cursor } } });
      names.push(...page.data!.items.map((i) => i.name));
      cursor = page.data!.nextCursor ?? undefined;
      if (cursor) expect(page.response.headers.get('link')).toContain('rel="next"');
    } while (cursor);
    const { data: whole } = await writer.GET('/sources', { params: { query: { limit: 200 } } });
    expect(names.sort()).toEqual(whole!.items.map((i) => i.name).sort());
    expect(names.length).toBeGreaterThan(1);
  });

  it('refuses a change made on a stale ETag (412) and takes it on the current one', async () => {
    const sourceId = s.source.id;
    const got = await writer.GET('/sources/{sourceId}', { params: { path: { sourceId } } });
    const etag = got.response.headers.get('etag')!;
    const first = await writer.PATCH('/sources/{sourceId}', {
      params: { path: { sourceId }, header: { 'If-Match': etag } },
      body: { name: 'People API (HR)' },
    });
    expect(first.data).toMatchObject({ name: 'People API (HR)' });
    const stale = await writer.PATCH('/sources/{sourceId}', {
      params: { path: { sourceId }, header: { 'If-Match': etag } },
      body: { name: 'Lost update' },
    });
    expect(stale.response.status).toBe(412);
    expect(problemOf(stale.error).detail).toBe(
      'The source was changed after you read it: fetch it again and reapply your change.',
    );
    const now = await writer.GET('/sources/{sourceId}', { params: { path: { sourceId } } });
    expect(now.data!.name).toBe('People API (HR)');
  });

  it('tests through the URL guard: a refused address is an answer with the reason and what to do', async () => {
    const { data: created } = await writer.POST('/sources', {
      body: { name: 'Metadata', type: 'rest', config: { baseUrl: 'http://169.254.169.254' } },
    });
    const test = await writer.POST('/sources/{sourceId}/test', {
      params: { path: { sourceId: created!.id } },
      body: {},
    });
    expect(test.response.status).toBe(200);
    expect(test.data).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/metadata/i),
      advice: expect.stringMatching(/never called/),
    });
  });

  it('keeps a source a synchronisation uses, and deletes one no one uses', async () => {
    const used = await writer.DELETE('/sources/{sourceId}', { params: { path: { sourceId: s.source.id } } });
    expect(used.response.status).toBe(409);
    expect(problemOf(used.error).detail).toContain(s.sync.name);

    const sourceId = await fileSource('Spare');
    const gone = await writer.DELETE('/sources/{sourceId}', { params: { path: { sourceId } } });
    expect(gone.response.status).toBe(204);
    const after = await writer.GET('/sources/{sourceId}', { params: { path: { sourceId } } });
    expect(after.response.status).toBe(404);
  });
});

describe('register sources', () => {
  const registerSource = (config: { registerId: string; schemaId: string }) =>
    writer.POST('/sources', { body: { name: 'Directory out', type: 'register', config } });
  const fieldsOf = (error: unknown) => problemOf(error).errors!.map((e) => [e.field, e.detail]);

  it("refuses another organisation's register and schema as if they did not exist", async () => {
    const other = await createOwner(db.db);
    const api = callerFor(db.db, other.user);
    const register = await api.registers.create({ orgId: other.org.id, name: 'Theirs' });
    const schema = await api.registers.createSchema({
      orgId: other.org.id,
      registerId: register.id,
      name: 'Secret',
      jsonSchema: { type: 'object' },
    });
    const theirs = await registerSource({ registerId: register.id, schemaId: schema.id });
    expect(theirs.response.status).toBe(400);
    expect(fieldsOf(theirs.error)).toEqual([
      ['body.config.registerId', `The register "${register.id}" was not found in this organisation.`],
      ['body.config.schemaId', `The schema "${schema.id}" was not found in this organisation.`],
    ]);
    // The same answer as for ids that exist nowhere.
    const nowhere = await registerSource({ registerId: 'reg_nonexistent', schemaId: 'sch_nonexistent' });
    expect(fieldsOf(nowhere.error)).toEqual([
      ['body.config.registerId', 'The register "reg_nonexistent" was not found in this organisation.'],
      ['body.config.schemaId', 'The schema "sch_nonexistent" was not found in this organisation.'],
    ]);
    const { data: all } = await writer.GET('/sources', { params: { query: { limit: 200 } } });
    expect(all!.items.map((i) => i.name)).not.toContain('Directory out');
  });

  it('refuses a missing register or schema of its own, and a schema of another register', async () => {
    const noRegister = await registerSource({ registerId: 'reg_nonexistent', schemaId: s.schema.id });
    expect(noRegister.response.status).toBe(400);
    expect(fieldsOf(noRegister.error)).toEqual([
      ['body.config.registerId', 'The register "reg_nonexistent" was not found in this organisation.'],
    ]);
    const noSchema = await registerSource({ registerId: s.register.id, schemaId: 'sch_nonexistent' });
    expect(fieldsOf(noSchema.error)).toEqual([
      ['body.config.schemaId', 'The schema "sch_nonexistent" was not found in this organisation.'],
    ]);
    const elsewhere = await s.api.registers.create({ orgId: s.orgId, name: 'Elsewhere' });
    const mismatched = await registerSource({ registerId: elsewhere.id, schemaId: s.schema.id });
    expect(fieldsOf(mismatched.error)).toEqual([
      ['body.config.schemaId', 'The schema does not belong to that register.'],
    ]);
  });

  it('saves its own register and schema, refuses a change to a missing one, and still reads an older row', async () => {
    const saved = await registerSource({ registerId: s.register.id, schemaId: s.schema.id });
    expect(saved.response.status).toBe(201);
    const sourceId = saved.data!.id;
    const changed = await writer.PATCH('/sources/{sourceId}', {
      params: { path: { sourceId } },
      body: { config: { registerId: s.register.id, schemaId: 'sch_nonexistent' } },
    });
    expect(changed.response.status).toBe(400);
    expect(fieldsOf(changed.error)).toEqual([
      ['body.config.schemaId', 'The schema "sch_nonexistent" was not found in this organisation.'],
    ]);
    // A row saved before the check (its schema gone since): read, listed and renamed as it is.
    const [old] = await db.db
      .insert(sources)
      .values({
        orgId: s.orgId,
        name: 'Old directory',
        type: 'register',
        config: { registerId: s.register.id, schemaId: 'sch_gone' },
      })
      .returning();
    const got = await writer.GET('/sources/{sourceId}', { params: { path: { sourceId: old!.id } } });
    expect(got.data).toMatchObject({ config: { schemaId: 'sch_gone' } });
    const renamed = await writer.PATCH('/sources/{sourceId}', {
      params: { path: { sourceId: old!.id } },
      body: { name: 'Old directory (gone)' },
    });
    expect(renamed.data).toMatchObject({ name: 'Old directory (gone)' });
  });
});

describe('file uploads', () => {
  it('stores each upload as a new version, which the source then reads', async () => {
    const sourceId = await fileSource('Wells');
    const path = { sourceId };
    const before = await writer.POST('/sources/{sourceId}/test', { params: { path }, body: {} });
    expect(before.data).toMatchObject({ ok: false, reason: expect.stringMatching(/No file/) });

    const first = await writer.POST('/sources/{sourceId}/files', {
      params: { path, query: { name: 'wells.csv' } },
      ...csv('id,name\n1,Well at the school\n2,Well by the river\n'),
    });
    expect(first.response.status).toBe(201);
    expect(first.data!.file).toMatchObject({ name: 'wells.csv', version: 1, contentType: 'text/csv' });
    const second = await writer.POST('/sources/{sourceId}/files', {
      params: { path, query: { name: 'wells.csv' } },
      ...csv('id,name\n1,Well at the school\n2,Well by the river\n3,Tap at the market\n'),
    });
    expect(second.data!.file.version).toBe(2);

    const versions = await writer.GET('/sources/{sourceId}/files', { params: { path } });
    expect(versions.data!.items.map((f) => f.version).sort()).toEqual([1, 2]);
    const source = await writer.GET('/sources/{sourceId}', { params: { path } });
    // Exactly the documented fields (SourceFile allows no others): not the row's organisation or uploader.
    expect(Object.keys(source.data!.file!).sort()).toEqual(
      ['contentType', 'createdAt', 'id', 'name', 'sha256', 'size', 'version'].sort(),
    );
    expect(source.data!.file).toEqual(versions.data!.items.find((f) => f.version === 2));
    const test = await writer.POST('/sources/{sourceId}/test', { params: { path }, body: {} });
    expect(test.data).toMatchObject({ ok: true, rows: 3, file: { version: 2 } });
  });

  it('refuses a file it cannot read with a problem, and keeps reading the previous version', async () => {
    const sourceId = await fileSource('Taps');
    const path = { sourceId };
    const good = await writer.POST('/sources/{sourceId}/files', {
      params: { path, query: { name: 'taps.csv' } },
      ...csv('id,name\n1,Tap at the market\n'),
    });
    const broken = await writer.POST('/sources/{sourceId}/files', {
      params: { path, query: { name: 'taps.csv' } },
      ...csv('id,name\n1,Tap at the market\n2,"Tap by the\n'),
    });
    expect(broken.response.status).toBe(400);
    expect(broken.response.headers.get('content-type')).toBe('application/problem+json');
    const problem = problemOf(broken.error);
    expect(problem.detail).toMatch(/^The file was not stored: .*line 2.*upload it again/);
    expect(problem.errors).toEqual([expect.objectContaining({ field: 'body', pointer: '' })]);

    const versions = await writer.GET('/sources/{sourceId}/files', { params: { path } });
    expect(versions.data!.items.map((f) => f.id)).toEqual([good.data!.file.id]);
    const source = await writer.GET('/sources/{sourceId}', { params: { path } });
    expect(source.data!.file).toMatchObject({ id: good.data!.file.id, version: 1 });
  });

  it('answers a retried upload with the same Idempotency-Key once: one version, the same file', async () => {
    const sourceId = await fileSource('Pumps');
    const upload = () =>
      writer.POST('/sources/{sourceId}/files', {
        params: {
          path: { sourceId },
          query: { name: 'pumps.csv' },
          header: { 'Idempotency-Key': 'pumps-1' },
        },
        ...csv('id,name\n1,Hand pump\n'),
      });
    const first = await upload();
    const retry = await upload();
    expect(retry.response.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.data!.file.id).toBe(first.data!.file.id);
    const versions = await writer.GET('/sources/{sourceId}/files', { params: { path: { sourceId } } });
    expect(versions.data!.items).toHaveLength(1);
  });

  it('takes files only for file sources, and refuses one announced too large before reading it', async () => {
    const rest = await writer.POST('/sources/{sourceId}/files', {
      params: { path: { sourceId: s.source.id } },
      ...csv('id\n1\n'),
    });
    expect(rest.response.status).toBe(400);
    expect(problemOf(rest.error).detail).toMatch(/only be uploaded to a file source/);

    const sourceId = await fileSource('Huge');
    const huge = await raw('POST', `/sources/${sourceId}/files`, {
      key: writeKey,
      headers: { 'content-length': String(300 * 1024 * 1024) },
      body: '[]',
    });
    expect(huge.status).toBe(413);
    expect(huge.body).toMatchObject({ detail: expect.stringMatching(/upload limit of 200 MiB/) });
    const versions = await writer.GET('/sources/{sourceId}/files', { params: { path: { sourceId } } });
    expect(versions.data!.items).toEqual([]);
  });
});
