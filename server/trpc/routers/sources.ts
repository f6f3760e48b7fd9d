// Sources of an organisation. Secrets go in, never out. Also: test a REST or SQL source's connection, and
// the versions and preview of a file source's file.
import { z } from 'zod';
import { SOURCE_TYPES } from '../../db/schema';
import { urlPolicy } from '../../runner/url-policy';
import { listSourceFiles, previewSourceFile, publicFile, usedFileOf } from '../../services/source-files';
import { withAdvice } from '../../services/connection-advice';
import { sampleObjects } from '../../services/source-samples';
import { testConnection } from '../../services/source-test';
import { testUnsavedSource } from '../../services/source-test-unsaved';
import { testSqlConnectionOf } from '../../services/source-test-sql';
import { createSqlTable, previewSqlTable } from '../../services/sql-targets';
import { createSource, deleteSource, getSource, listSources, updateSource } from '../../services/sources';
import { orgProcedure, router, strictOrgInput } from '../init';

const secretChanges = z.record(z.string(), z.string().max(10_000).nullable()).optional();
const byId = z.object({ sourceId: z.string().min(1) });
const sqlTableInput = byId.extend({
  schemaId: z.string().min(1),
  table: z.string().max(300),
  keyColumns: z.array(z.string().max(300)).max(8),
});

export const sourcesRouter = router({
  // With, for file sources, the file their synchronisations read (null before the first upload).
  list: orgProcedure('sources.read').query(async ({ ctx }) => {
    const list = await listSources(ctx.db, ctx.org.orgId);
    return Promise.all(
      list.map(async (source) => {
        if (source.type !== 'file') return { ...source, file: null };
        const file = await usedFileOf(ctx.db, source);
        return { ...source, file: file ? publicFile(file) : null };
      }),
    );
  }),

  get: orgProcedure('sources.read')
    .input(byId)
    .query(({ ctx, input }) => getSource(ctx.db, ctx.org.orgId, input.sourceId)),

  create: orgProcedure('sources.write')
    .input(
      strictOrgInput({
        name: z.string().trim().min(1).max(100),
        type: z.enum(SOURCE_TYPES),
        enabled: z.boolean().optional(),
        config: z.unknown(),
        secrets: secretChanges,
      }),
    )
    .mutation(({ ctx, input }) => createSource(ctx.db, ctx.org.orgId, input)),

  update: orgProcedure('sources.write')
    .input(
      strictOrgInput({
        ...byId.shape,
        name: z.string().trim().min(1).max(100).optional(),
        enabled: z.boolean().optional(),
        config: z.unknown().optional(),
        secrets: secretChanges,
      }),
    )
    .mutation(({ ctx, input }) => {
      const { sourceId, orgId: _orgId, ...changes } = input;
      return updateSource(ctx.db, ctx.org.orgId, sourceId, changes);
    }),

  // 'sources.write': a viewer must not be able to make Concord call URLs.
  testConnection: orgProcedure('sources.write')
    .input(
      byId.extend({
        endpoint: z.string().max(2000).optional(),
        resultsPosition: z.string().max(300).optional(),
        idField: z.string().max(300).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) =>
      withAdvice(
        await testConnection(ctx.db, ctx.org.orgId, input.sourceId, input, { urlPolicy: urlPolicy() }),
      ),
    ),

  // The form's settings before they are saved (a new source, or unsaved edits): checked as saving
  // checks them, tried through the same URL guard, stored nowhere.
  testUnsaved: orgProcedure('sources.write')
    .input(
      z.object({
        type: z.enum(SOURCE_TYPES),
        config: z.unknown(),
        secrets: secretChanges,
        sourceId: z.string().min(1).optional(),
        endpoint: z.string().max(20_000).optional(),
        resultsPosition: z.string().max(300).optional(),
        idField: z.string().max(300).optional(),
        keyColumn: z.string().max(300).optional(),
      }),
    )
    .mutation(({ ctx, input }) => {
      const { type, config, secrets, sourceId, orgId: _orgId, ...test } = input;
      return testUnsavedSource(ctx.db, ctx.org.orgId, { type, config, secrets, sourceId }, test, {
        urlPolicy: urlPolicy(),
      });
    }),

  // Objects as a synchronisation would read them, for the mapping bench and schema inference.
  // 'sources.write' as Test connection: a REST or SQL source is called.
  sample: orgProcedure('sources.write')
    .input(
      byId.extend({
        endpoint: z.string().max(20_000).optional(),
        resultsPosition: z.string().max(300).optional(),
        keyColumn: z.string().max(300).optional(),
      }),
    )
    .mutation(({ ctx, input }) => {
      const { sourceId, orgId: _orgId, ...request } = input;
      return sampleObjects(ctx.db, ctx.org.orgId, sourceId, request, { urlPolicy: urlPolicy() });
    }),

  // Connects with the saved settings, runs SELECT 1 and, given a table or query, reads its first row.
  testSqlConnection: orgProcedure('sources.write')
    .input(
      byId.extend({
        /** A table name or a SELECT query, as a synchronisation's endpoint. */
        endpoint: z.string().max(20_000).optional(),
        keyColumn: z.string().max(300).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) =>
      withAdvice(
        await testSqlConnectionOf(ctx.db, ctx.org.orgId, input.sourceId, input, { urlPolicy: urlPolicy() }),
      ),
    ),

  // The CREATE TABLE an SQL target would need for a register schema: shown before anything runs.
  sqlTablePreview: orgProcedure('sources.read')
    .input(sqlTableInput)
    .query(({ ctx, input }) => previewSqlTable(ctx.db, ctx.org.orgId, input)),

  // Runs that statement in the source's database; refused when the table exists.
  createSqlTable: orgProcedure('sources.write')
    .input(sqlTableInput)
    .mutation(({ ctx, input }) => createSqlTable(ctx.db, ctx.org.orgId, input, { urlPolicy: urlPolicy() })),

  files: orgProcedure('sources.read')
    .input(byId)
    .query(({ ctx, input }) => listSourceFiles(ctx.db, ctx.org.orgId, input.sourceId)),

  preview: orgProcedure('sources.read')
    .input(
      byId.extend({
        fileId: z.string().min(1).optional(),
        // Left out: the source's saved setting; '' (or 'auto' for the encoding): detect.
        delimiter: z.enum([',', ';', '\t', '|', '']).optional(),
        quote: z.enum(['"', "'", '']).optional(),
        encoding: z.enum(['auto', 'utf-8', 'utf-16le', 'utf-16be', 'latin1', 'windows-1252']).optional(),
        // The column checked for duplicate and missing ids; left out: the one saved on the source.
        idColumn: z.string().max(300).optional(),
      }),
    )
    .query(({ ctx, input }) => {
      const { orgId: _orgId, sourceId, ...options } = input;
      return previewSourceFile(ctx.db, ctx.org.orgId, sourceId, options);
    }),

  delete: orgProcedure('sources.write')
    .input(byId)
    .mutation(({ ctx, input }) => deleteSource(ctx.db, ctx.org.orgId, input.sourceId)),
});
