// Sample objects straight from a source, as a synchronisation would read them: a REST source's first
// page (at an endpoint), an SQL table's first row, a file's first rows, a register schema's newest
// objects. For the mapping bench and for inferring a register schema; nothing is stored.
import type { Db } from '../db/client';
import { registerSourceConfig } from '../sync/config/source-config';
import { readStored } from '../sync/config/stored';
import { withAdvice } from './connection-advice';
import { listObjects } from './objects-list';
import { previewSourceFile } from './source-files';
import { SAMPLE_OBJECTS, testConnection, type ConnectionTestOptions } from './source-test';
import { testSqlConnectionOf } from './source-test-sql';
import { loadSource } from './sources';

export interface SampleRequest {
  /** REST: the path after the base URL; SQL: the table or query. */
  endpoint?: string;
  resultsPosition?: string;
  /** SQL: the column rows are ordered by. */
  keyColumn?: string;
}

export type SourceSamples =
  | { ok: true; objects: Record<string, unknown>[]; from: string }
  | { ok: false; reason: string; advice?: string };

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export async function sampleObjects(
  db: Db,
  orgId: string,
  sourceId: string,
  request: SampleRequest,
  options: ConnectionTestOptions,
): Promise<SourceSamples> {
  const row = await loadSource(db, orgId, sourceId);
  switch (row.type) {
    case 'rest': {
      const test = withAdvice(await testConnection(db, orgId, sourceId, request, options));
      if (!test.ok) return { ok: false, reason: test.reason, advice: test.advice };
      const objects = test.detected.samples.filter(isObject);
      if (objects.length === 0)
        return {
          ok: false,
          reason: test.detected.resultsProblem ?? 'The first page holds no objects.',
          advice: 'Give the endpoint that lists the objects, and where they are in the answer.',
        };
      return { ok: true, objects, from: `the first page of ${test.url}` };
    }
    case 'sql': {
      if (!request.endpoint?.trim())
        return {
          ok: false,
          reason: 'Name the table or query to read a row from.',
          advice: 'Fill in “Table or query”, e.g. customers.',
        };
      const test = withAdvice(await testSqlConnectionOf(db, orgId, sourceId, request, options));
      if (!test.ok) return { ok: false, reason: test.reason, advice: test.advice };
      const first = test.sample?.row;
      if (!first) return { ok: false, reason: 'The table or query returned no rows.' };
      return { ok: true, objects: [first], from: `the first row of ${request.endpoint.trim()}` };
    }
    case 'file': {
      const preview = await previewSourceFile(db, orgId, sourceId, {});
      if (!preview.file || !preview.preview)
        return {
          ok: false,
          reason: 'No file has been uploaded to this source yet.',
          advice: 'Upload the file on the source’s page first.',
        };
      if (!preview.preview.ok)
        return {
          ok: false,
          reason: preview.preview.reason,
          advice: 'Fix the file and upload it again.',
        };
      return {
        ok: true,
        objects: preview.preview.rows.slice(0, SAMPLE_OBJECTS),
        from: `the first rows of ${preview.file.name} (version ${preview.file.version})`,
      };
    }
    case 'register': {
      const config = readStored(registerSourceConfig, row.config, `source ${row.id} settings`);
      if (!config.success)
        return {
          ok: false,
          reason: 'The saved settings of this source are not valid: correct them and save.',
        };
      const page = await listObjects(db, orgId, config.data.schemaId, { pageSize: SAMPLE_OBJECTS });
      if (page.rows.length === 0) return { ok: false, reason: 'The register schema holds no objects yet.' };
      return {
        ok: true,
        objects: page.rows.map((r) => r.data),
        from: 'the register',
      };
    }
  }
}
