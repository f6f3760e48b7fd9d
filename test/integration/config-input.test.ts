// What the API does with configuration a person or program got wrong: an unknown key is refused with
// the nearest known one (never dropped in silence), every problem is a sentence at its field — through
// the caller and over HTTP, where no zod JSON reaches the message — and a row an older version saved
// with a key this version does not know still runs.
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { problemsAt } from '@/app/_lib/field-errors';
import { mappings, synchronisations } from '@/server/db/schema';
import { appRouter } from '@/server/trpc/root';
import { createTestDatabase, type TestDatabase } from './helpers/database';
import { startJsonServer, type JsonServer } from './helpers/json-server';
import { failure } from './helpers/owner-api';
import { people, restToRegister, runDirect } from './helpers/sync-setup';

let db: TestDatabase;
let peer: JsonServer;
let s: Awaited<ReturnType<typeof restToRegister>>;

beforeAll(async () => {
  db = await createTestDatabase();
  peer = await startJsonServer({ people: people(12) });
  s = await restToRegister(db.db, peer.url);
});
afterAll(async () => {
  await peer.stop();
  await db.close();
});

/** The refusal's sentences at their fields, as the error formatter and the forms read them. */
const issuesOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(
    () => null,
    (e: unknown) => e as { code: string; message: string; cause: { issues?: unknown; field?: string } },
  );
  if (!error) throw new Error('expected the call to fail');
  return { code: error.code, message: error.message, issues: error.cause.issues, field: error.cause.field };
};

describe('unknown keys', () => {
  it('refuses a typo in the synchronisation settings, naming the key and the one meant', async () => {
    const update = s.api.synchronisations.update({
      orgId: s.orgId,
      syncId: s.sync.id,
      ...s.input,
      sourceConfig: { pagination: { kind: 'link-header' }, resultPosition: 'data.items' },
    });
    expect(await issuesOf(update)).toEqual({
      code: 'BAD_REQUEST',
      message: 'Unknown setting `resultPosition` — did you mean `resultsPosition`?',
      field: 'sourceConfig.resultPosition',
      issues: [
        {
          field: 'sourceConfig.resultPosition',
          message: 'Unknown setting `resultPosition` — did you mean `resultsPosition`?',
        },
      ],
    });
    const saved = await s.api.synchronisations.get({ orgId: s.orgId, syncId: s.sync.id });
    expect(saved.sourceConfig).not.toHaveProperty('resultPosition');
  });

  it('refuses unknown top-level fields and unknown keys of targets, sources and mappings', async () => {
    const { api, orgId } = s;
    expect(
      await failure(
        api.synchronisations.create({ orgId, ...s.input, targetMapingId: null } as typeof s.input & {
          orgId: string;
        }),
      ),
    ).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Unknown field `targetMapingId` — did you mean `targetMappingId`?',
      field: 'targetMapingId',
    });
    const target = await api.sources.create({
      orgId,
      name: 'B',
      type: 'rest',
      config: { baseUrl: peer.url },
    });
    expect(
      await failure(
        api.synchronisations.create({
          orgId,
          ...s.input,
          targetType: 'source',
          targetSourceId: target.id,
          targetConfig: { createEndpoint: '/people', idpath: 'data.id' },
        }),
      ),
    ).toMatchObject({
      message: 'Unknown setting `idpath` — did you mean `idPath`?',
      field: 'targetConfig.idpath',
    });
    expect(
      await failure(
        api.sources.create({
          orgId,
          name: 'C',
          type: 'rest',
          config: { baseUrl: peer.url, timeoutMS: 5000 },
        }),
      ),
    ).toMatchObject({
      message: 'Unknown setting `timeoutMS` — did you mean `timeoutMs`?',
      field: 'config.timeoutMS',
    });
    expect(
      await failure(
        api.sources.update({ orgId, sourceId: target.id, config: { baseUrl: peer.url, header: {} } }),
      ),
    ).toMatchObject({ message: 'Unknown setting `header` — did you mean `headers`?' });
    expect(
      await failure(api.mappings.create({ orgId, name: 'M', config: { mapings: { name: 'name' } } })),
    ).toMatchObject({
      message: expect.stringContaining('Unknown setting `mapings` — did you mean `mapping`?'),
    });
  });

  it('runs a synchronisation saved with a key this version does not know, leaving the key out', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      await db.db
        .update(synchronisations)
        .set({ sourceConfig: { pagination: { kind: 'link-header' }, retiredSetting: true } })
        .where(eq(synchronisations.id, s.sync.id));
      const run = await runDirect(db.db, s.orgId, s.sync.id);
      expect(run).toMatchObject({ result: 'success', found: 12, complete: true });
      expect(warn.mock.calls.flat().join('\n')).toMatch(
        /ignored settings this version does not know: retiredSetting/,
      );
    } finally {
      warn.mockRestore();
    }
  });
});

describe('problems are sentences at their fields', () => {
  it('phrases schema problems of top-level fields and of settings as sentences, each at its field', async () => {
    const refused = await issuesOf(
      s.api.synchronisations.update({
        orgId: s.orgId,
        syncId: s.sync.id,
        ...s.input,
        name: '',
        successRetentionDays: 0,
      }),
    );
    expect(refused).toMatchObject({
      code: 'BAD_REQUEST',
      message: 'Name must not be empty. Retention of successful runs (days) must be at least 1.',
      issues: [
        { field: 'name', message: 'Name must not be empty.' },
        { field: 'successRetentionDays', message: 'Retention of successful runs (days) must be at least 1.' },
      ],
    });
    const settings = await issuesOf(
      s.api.synchronisations.update({
        orgId: s.orgId,
        syncId: s.sync.id,
        ...s.input,
        sourceConfig: { maxPages: 0, pagination: { kind: 'offset', limit: 'ten' } },
      }),
    );
    expect(settings.issues).toEqual([
      { field: 'sourceConfig.pagination.limit', message: 'Limit must be a number.' },
      { field: 'sourceConfig.maxPages', message: 'Max pages must be at least 1.' },
    ]);
    const source = await issuesOf(
      s.api.sources.create({ orgId: s.orgId, name: 'X', type: 'rest', config: { baseUrl: 'ftp://x.test' } }),
    );
    expect(source).toMatchObject({
      message: 'Base URL must be an http(s) URL, such as https://api.example.com.',
      field: 'config.baseUrl',
    });
  });

  it("refuses the other kind of target's references, each at its field, rather than saving them as nothing", async () => {
    const target = await s.api.sources.create({
      orgId: s.orgId,
      name: 'Written-to API',
      type: 'rest',
      config: { baseUrl: peer.url },
    });
    const base = { orgId: s.orgId, syncId: s.sync.id, ...s.input };
    expect(await issuesOf(s.api.synchronisations.update({ ...base, targetSourceId: target.id }))).toEqual({
      code: 'BAD_REQUEST',
      message:
        'A register target takes no target source (targetSourceId): it writes into the register schema chosen. Leave it out, or write to a REST API or SQL database.',
      field: 'targetSourceId',
      issues: undefined,
    });
    const toSource = { targetType: 'source' as const, targetSourceId: target.id, targetConfig: {} };
    expect((await issuesOf(s.api.synchronisations.update({ ...base, ...toSource }))).issues).toEqual([
      {
        field: 'targetRegisterId',
        message:
          'A REST API or SQL database target takes no register (targetRegisterId): it writes to the target source chosen. Leave it out, or write to a register schema.',
      },
      {
        field: 'targetSchemaId',
        message:
          'A REST API or SQL database target takes no schema (targetSchemaId): it writes to the target source chosen. Leave it out, or write to a register schema.',
      },
    ]);
    const saved = await s.api.synchronisations.get({ orgId: s.orgId, syncId: s.sync.id });
    expect(saved).toMatchObject({ targetType: 'register', targetSourceId: null });
  });

  it("names the mapping's key at fault for a nested object's mapping as for the top-level one, each at its form field", async () => {
    // A mapping an older version saved that no longer compiles (saving one now refuses it).
    const broken = await s.api.mappings.create({ orgId: s.orgId, name: 'Broken', config: { mapping: {} } });
    await db.db
      .update(mappings)
      .set({ config: { mapping: { name: 'a..b' } } })
      .where(eq(mappings.id, broken.id));
    const refused = await issuesOf(
      s.api.synchronisations.update({
        orgId: s.orgId,
        syncId: s.sync.id,
        ...s.input,
        mappingId: broken.id,
        sourceConfig: {
          pagination: { kind: 'link-header' },
          subObjects: [{ path: 'lines', mappingId: broken.id }],
        },
      }),
    );
    const why = '"a..b" has an empty segment (write "=text" for a fixed value).';
    expect(refused.issues).toEqual([
      { field: 'mappingId', message: `The mapping: mapping.name: ${why}` },
      {
        field: 'sourceConfig.subObjects.0.mappingId',
        message: `Nested objects 1, mapping: mapping.name: ${why}`,
      },
    ]);
    // Shown beside the nested objects' mapping picker (mapping-section.tsx), not the top-level one's.
    const issues = refused.issues as { field: string; message: string }[];
    expect(problemsAt(issues, ['sourceConfig.subObjects.0.mappingId'])).toBe(
      `Nested objects 1, mapping: mapping.name: ${why}`,
    );
    expect(problemsAt(issues, ['mappingId', 'mapping'])).toBe(`The mapping: mapping.name: ${why}`);
  });

  it('answers over HTTP with the sentences and structured issues, and no zod JSON anywhere', async () => {
    const call = async (procedure: string, input: unknown) => {
      const res = await fetchRequestHandler({
        endpoint: '/api/trpc',
        req: new Request(`http://127.0.0.1/api/trpc/${procedure}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ json: input }),
        }),
        router: appRouter,
        createContext: () => ({ db: db.db, user: s.owner.user }),
      });
      return { status: res.status, text: await res.text() };
    };
    const empty = await call('synchronisations.create', { orgId: s.orgId, ...s.input, name: '' });
    expect(empty.status).toBe(400);
    expect(empty.text).not.toMatch(/\[\s*\{\s*"code"|"expected"|Too small|Invalid input/);
    const body = JSON.parse(empty.text) as {
      error: { json: { message: string; data: Record<string, unknown> } };
    };
    expect(body.error.json.message).toBe('Name must not be empty.');
    expect(body.error.json.data).toMatchObject({
      code: 'BAD_REQUEST',
      field: 'name',
      issues: [{ field: 'name', message: 'Name must not be empty.' }],
    });

    const typo = await call('sources.create', {
      orgId: s.orgId,
      name: 'Y',
      type: 'rest',
      config: { baseURL: 'https://x.test' },
    });
    const typoBody = JSON.parse(typo.text) as {
      error: { json: { message: string; data: Record<string, unknown> } };
    };
    expect(typoBody.error.json.message).toBe(
      'Base URL is required. Unknown setting `baseURL` — did you mean `baseUrl`?',
    );
    expect(typoBody.error.json.data['issues']).toEqual([
      { field: 'config.baseUrl', message: 'Base URL is required.' },
      { field: 'config.baseURL', message: 'Unknown setting `baseURL` — did you mean `baseUrl`?' },
    ]);
  });
});
