// Sources: list, read, create, change and delete (secrets go in, never out), their connection test
// through the URL guard, and a file source's file: its versions and the upload of a new one.
import { z } from 'zod';
import { SOURCE_TYPES } from '@/server/db/schema';
import { urlPolicy } from '@/server/runner/url-policy';
import { withAdvice } from '@/server/services/connection-advice';
import { UserError } from '@/server/services/errors';
import {
  listSourceFiles,
  previewSourceFile,
  uploadSourceFile,
  UploadRefused,
  usedFileOf,
} from '@/server/services/source-files';
import { testConnection } from '@/server/services/source-test';
import { testSqlConnectionOf } from '@/server/services/source-test-sql';
import * as sources from '@/server/services/sources';
import type { Db } from '@/server/db/client';
import { pageById } from '../cursor';
import { route, type RouteDef } from '../define';
import { ApiProblem } from '../problem';
import { list } from '../resources';
import * as R from '../resources/sources';
import { checkLastChange, deleteLastChanged, versionOf } from './last-change';
import { author, id, name, pageQuery } from './shared';

const byId = z.object({ sourceId: id('source') });
const secrets = z
  .record(z.string(), z.string().max(10_000).nullable())
  .optional()
  .describe(
    'Write-only: a value sets the secret, null removes it, a name left out keeps what is stored. ' +
      'rest: apiKey, token, password, clientSecret, and `header:<name>` / `query:<name>` for a header ' +
      'or query parameter sent with every request to the base URL’s origin; sql: password. Settings ' +
      'that send the secrets to another address (a REST origin, an SQL host or port) drop the stored ' +
      'ones: give them again in the same request.',
  );
const config = z.record(z.string(), z.unknown()).describe(R.SOURCE_CONFIG_TEXT);

async function answer(db: Db, row: ReturnType<typeof sources.toPublicSource>) {
  const file = row.type === 'file' ? await usedFileOf(db, row) : undefined;
  return { body: R.toSource(row, file ?? null), version: versionOf(row) };
}

export const sourceRoutes: RouteDef[] = [
  route({
    method: 'GET',
    path: '/sources',
    operationId: 'listSources',
    tag: 'Sources',
    summary: 'List sources (secrets never included: `secretsSet` names those that are set)',
    scope: 'read',
    query: pageQuery,
    response: list(R.Source, 'SourceList'),
    paginated: true,
    handler: async ({ db, caller, query }) => {
      const page = pageById(await sources.listSources(db, caller.orgId), query.cursor, query.limit);
      const items = await Promise.all(page.items.map(async (row) => (await answer(db, row)).body));
      return { body: { items, nextCursor: page.nextCursor }, next: page.next };
    },
  }),
  route({
    method: 'POST',
    path: '/sources',
    operationId: 'createSource',
    tag: 'Sources',
    summary: 'Create a source',
    description:
      'The settings are checked as the source form checks them, each problem at its field. Secrets are ' +
      'stored encrypted and never sent back; a header or query parameter in `config` whose name looks ' +
      'secret (key, token, auth, cookie, session, …) is refused at its field: give it as an ' +
      'authentication’s secret or as the secret `header:<name>` / `query:<name>`. Addresses are ' +
      'checked by the URL guard whenever Concord calls them (test, runs).',
    scope: 'write',
    body: z
      .object({ name, type: z.enum(SOURCE_TYPES), enabled: z.boolean().optional(), config, secrets })
      .strict(),
    response: R.Source,
    status: 201,
    etag: true,
    example: {
      name: 'Water points API',
      type: 'rest',
      config: { baseUrl: 'https://api.example.com/v2', auth: { type: 'bearer' } },
      secrets: { token: 'your-api-token' },
    },
    handler: async ({ db, caller, body }) => answer(db, await sources.createSource(db, caller.orgId, body)),
  }),
  route({
    method: 'GET',
    path: '/sources/{sourceId}',
    operationId: 'getSource',
    tag: 'Sources',
    summary: 'Get a source (with its ETag)',
    scope: 'read',
    params: byId,
    response: R.Source,
    etag: true,
    handler: async ({ db, caller, params }) =>
      answer(db, await sources.getSource(db, caller.orgId, params.sourceId)),
  }),
  route({
    method: 'PATCH',
    path: '/sources/{sourceId}',
    operationId: 'updateSource',
    tag: 'Sources',
    summary: 'Change a source: its name, whether it is enabled, its settings (whole) or its secrets',
    description:
      '`config`, when given, replaces the settings as a whole. `secrets` changes only the names it ' +
      'holds. A `config` whose base URL changes origin (scheme, host, port; for OAuth2 also the token ' +
      'URL’s), or an SQL source’s host or port, drops the stored secrets unless this request gives ' +
      'them again (`secretsSet` says which are left); a change of path keeps them. A header or query ' +
      'parameter answered as `***` (a secret an earlier version kept in the settings) keeps its value ' +
      'when sent back so, moved into the secrets. Send If-Match with the ETag you read to refuse a ' +
      'change made since (412).',
    scope: 'write',
    params: byId,
    body: z
      .object({ name: name.optional(), enabled: z.boolean().optional(), config: config.optional(), secrets })
      .strict(),
    response: R.Source,
    etag: true,
    example: { name: 'Water points (nightly export)' },
    handler: async ({ db, caller, params, body, ifMatch }) => {
      checkLastChange(await sources.loadSource(db, caller.orgId, params.sourceId), ifMatch, 'source');
      return answer(db, await sources.updateSource(db, caller.orgId, params.sourceId, body));
    },
  }),
  deleteLastChanged({
    path: '/sources/{sourceId}',
    operationId: 'deleteSource',
    tag: 'Sources',
    summary: 'Delete a source (refused while a synchronisation uses it)',
    params: byId,
    what: 'source',
    load: (db, orgId, { sourceId }) => sources.loadSource(db, orgId, sourceId),
    remove: (db, orgId, { sourceId }) => sources.deleteSource(db, orgId, sourceId),
  }),
  route({
    method: 'POST',
    path: '/sources/{sourceId}/test',
    operationId: 'testSource',
    tag: 'Sources',
    summary: 'Test a source’s connection with its saved settings and secrets',
    description:
      'REST: one request to `endpoint` (added to the base URL), and what a synchronisation would find ' +
      'in the answer. SQL: connects, and given a table or query in `endpoint`, reads its first row. ' +
      'File: whether the version synchronisations read can be read to its end. Every address goes ' +
      'through the URL guard. A failed test is an answer (`ok: false`) with `reason` and `advice`. ' +
      'Settings the source’s type does not use are ignored.',
    scope: 'write',
    params: byId,
    body: z
      .object({
        endpoint: z.string().max(20_000).optional().describe('REST: a path; SQL: a table or SELECT query.'),
        resultsPosition: z.string().max(300).optional().describe('REST: where the objects are.'),
        idField: z.string().max(300).optional().describe('REST: the id field to check.'),
        keyColumn: z.string().max(300).optional().describe('SQL: the key column (default `id`).'),
      })
      .strict()
      .optional()
      .default({}),
    response: R.SourceTest,
    example: { endpoint: '/water-points?limit=10' },
    handler: async ({ db, caller, params, body }) => {
      const { orgId } = caller;
      const row = await sources.loadSource(db, orgId, params.sourceId);
      const options = { urlPolicy: urlPolicy() };
      if (row.type === 'rest')
        return { body: withAdvice(await testConnection(db, orgId, row.id, body, options)) };
      if (row.type === 'sql')
        return { body: withAdvice(await testSqlConnectionOf(db, orgId, row.id, body, options)) };
      if (row.type === 'file')
        return { body: R.toFileTest(await previewSourceFile(db, orgId, row.id, {}), row.id) };
      throw new UserError(
        'BAD_REQUEST',
        'A register source reads one of this organisation’s registers: there is no connection to test.',
      );
    },
  }),
  route({
    method: 'GET',
    path: '/sources/{sourceId}/files',
    operationId: 'listSourceFiles',
    tag: 'Sources',
    summary: 'List the versions of a file source’s file (the latest 100)',
    scope: 'read',
    params: byId,
    query: pageQuery,
    response: list(R.SourceFile, 'SourceFileList'),
    paginated: true,
    handler: async ({ db, caller, params, query }) => {
      const page = pageById(
        await listSourceFiles(db, caller.orgId, params.sourceId),
        query.cursor,
        query.limit,
      );
      return {
        body: { items: page.items.map(R.toSourceFile), nextCursor: page.nextCursor },
        next: page.next,
      };
    },
  }),
  route({
    method: 'POST',
    path: '/sources/{sourceId}/files',
    operationId: 'uploadSourceFile',
    tag: 'Sources',
    summary: 'Upload a new version of a file source’s file',
    description:
      'The body is the file itself (up to 200 MiB), read in the format the source is set to. A file ' +
      'that cannot be read to its end is refused (400, with the line) and never becomes the version ' +
      'synchronisations read. With an Idempotency-Key, a retry with the same name, type and length ' +
      'replays the first answer.',
    scope: 'write',
    params: byId,
    query: z.object({
      name: z.string().max(200).optional().describe('The file’s name, as people will see it.'),
    }),
    file: {
      mediaTypes: ['text/csv', 'application/json', 'application/xml', 'application/octet-stream'],
      description: 'The file, in the format the source is set to (csv, json or xml).',
    },
    response: R.FileUploaded,
    status: 201,
    example: [{ id: 'wp-1', name: 'Well at the school', depth: 42 }],
    handler: async (ctx) => {
      const file = ctx.file!;
      try {
        const uploaded = await uploadSourceFile(
          ctx.db,
          { orgId: ctx.caller.orgId, userId: author(ctx) },
          ctx.params.sourceId,
          file.stream,
          ctx.query.name ?? 'upload',
          file.contentType,
          file.declaredSize === undefined ? {} : { declaredSize: file.declaredSize },
        );
        return { body: { ...uploaded, file: R.toSourceFile(uploaded.file) } };
      } catch (error) {
        if (!(error instanceof UploadRefused)) throw error;
        // An unreadable file is bad input: the problem names the body (the file) as its field.
        throw new ApiProblem(
          error.status,
          error.message,
          error.unreadable ? [{ field: 'body', pointer: '', detail: error.message }] : undefined,
        );
      }
    },
  }),
];
