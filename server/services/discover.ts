// "Discover": what a source offers as data types a person can select — an SQL source's tables and
// views (from its catalog), a REST source's endpoints (one page each), a file source's rows (the
// preview's header or records). Each comes with its fields, their JSON types and its id field.
import type { Db } from '../db/client';
import { sqlSourceConfig } from '../sync/config/source-config';
import { readStored } from '../sync/config/stored';
import { fieldsFromSamples, freeName, type DataField, type DataType } from '../sync/core/discover';
import { readOriginId } from '../sync/core/ids';
import type { ResolveHost, UrlPolicy } from '../sync/http/guard';
import { readCatalog } from '../sync/sources/sql-catalog';
import { describeSqlError } from '../sync/sources/sql-errors';
import { discoverRest } from './discover-rest';
import { UserError } from './errors';
import { COMMON_ID_FIELDS } from './source-test';
import { previewSourceFile } from './source-files';
import { loadSource, readSecrets } from './sources';
import { openSqlConnection } from './sql-open';

export interface DiscoverInput {
  /** REST sources: the endpoints to look at (paths relative to the base URL, as a synchronisation's). */
  endpoints?: string[];
}

export type Discovery =
  | {
      ok: true;
      source: { id: string; name: string; type: string };
      types: DataType[];
      /** REST endpoints that could not be read, each with its reason. */
      failures: { endpoint: string; reason: string }[];
    }
  | { ok: false; reason: string };

export interface DiscoverOptions {
  urlPolicy: UrlPolicy;
  resolve?: ResolveHost;
}

export async function discoverSource(
  db: Db,
  orgId: string,
  sourceId: string,
  input: DiscoverInput,
  options: DiscoverOptions,
): Promise<Discovery> {
  const row = await loadSource(db, orgId, sourceId);
  const source = { id: row.id, name: row.name, type: row.type };
  switch (row.type) {
    case 'sql':
      return discoverSql(row, source, options);
    case 'rest': {
      const endpoints = [...new Set((input.endpoints ?? []).map((e) => e.trim()).filter(Boolean))];
      if (endpoints.length === 0)
        throw new UserError(
          'BAD_REQUEST',
          'Name at least one endpoint to look at, such as /people.',
          'endpoints',
        );
      const found = await discoverRest(row, endpoints, { urlPolicy: options.urlPolicy });
      // Two endpoints of one collection (`/people`, `/people?active=1`) get names a person can tell apart.
      const names: string[] = [];
      const types = found.flatMap((f) => {
        if (!f.ok) return [];
        const name = freeName(f.type.name, names, 200);
        names.push(name);
        return [{ ...f.type, name }];
      });
      return {
        ok: true,
        source,
        types,
        failures: found.flatMap((f) => (f.ok ? [] : [{ endpoint: f.endpoint, reason: f.reason }])),
      };
    }
    case 'file':
      return discoverFile(db, orgId, row.id, source);
    default:
      throw new UserError(
        'BAD_REQUEST',
        'A register source is discovered on the Registers page: its schemas are its data types.',
      );
  }
}

async function discoverSql(
  row: Parameters<typeof readSecrets>[0] & { id: string; config: unknown },
  source: { id: string; name: string; type: string },
  options: DiscoverOptions,
): Promise<Discovery> {
  const parsed = readStored(sqlSourceConfig, row.config, `source ${row.id} settings`);
  if (!parsed.success) return { ok: false, reason: 'The source configuration is not valid.' };
  const config = parsed.data;
  const opened = await openSqlConnection(config, readSecrets(row)['password'], options);
  if (!opened.ok) return { ok: false, reason: opened.reason };
  const { connection, redactor, url } = opened;
  try {
    const types = await readCatalog(connection);
    return { ok: true, source, types, failures: [] };
  } catch (error) {
    return {
      ok: false,
      reason: redactor.text(
        `Connected to ${url}, but reading its tables failed: ${describeSqlError(error)}.`,
      ),
    };
  } finally {
    await connection.close();
  }
}

async function discoverFile(
  db: Db,
  orgId: string,
  sourceId: string,
  source: { id: string; name: string; type: string },
): Promise<Discovery> {
  const { file, preview } = await previewSourceFile(db, orgId, sourceId, {});
  if (!file || !preview) return { ok: false, reason: 'Upload a file first: its columns are the fields.' };
  if (!preview.ok) return { ok: false, reason: `The file cannot be read: ${preview.reason}` };
  const name = file.name.replace(/\.[a-z0-9]+$/i, '') || source.name;
  let fields: DataField[];
  let idField: string | null;
  if (preview.format === 'csv') {
    // Every CSV value is text; a header names every field of every row.
    idField = COMMON_ID_FIELDS.find((f) => preview.header.includes(f)) ?? preview.header[0] ?? null;
    fields = preview.header.map((column): DataField => ({
      name: column,
      type: 'string',
      nullable: false,
      key: column === idField,
    }));
  } else {
    // As a synchronisation reads ids: also paths such as an XML record's `@attributes.id`.
    const sample = preview.rows;
    idField = COMMON_ID_FIELDS.find((f) => sample.every((r) => readOriginId(r, f).ok)) ?? null;
    fields = fieldsFromSamples(sample, idField);
  }
  return {
    ok: true,
    source,
    types: [
      {
        name,
        kind: 'file',
        endpoint: '',
        fields,
        idField,
        problem: idField ? null : 'No id field was found in the rows; name one in the synchronisation.',
      },
    ],
    failures: [],
  };
}
