// Writing a two-way synchronisation's source: the REST or SQL target machinery pointed at the source
// system itself, and reading back what was written (BRIEF: "read back after the write where the target
// normalises values"), so the next run compares the source with what it really holds.
import { readStored } from '../config/stored';
import { restSourceConfig, sqlSourceConfig } from '../config/source-config';
import { maxPagesOf, restTargetConfigSchema, sqlTargetConfigSchema } from '../config/sync-config';
import { identifyObjects } from '../core/ids';
import type { TargetPort } from '../ports';
import { createRestIdSource } from '../sources/rest-by-id';
import { createSqlSource } from '../sources/sql';
import { createRestTarget } from '../targets/rest';
import { createSqlTarget } from '../targets/sql';
import type { AdapterOptions } from '../run/adapters';
import type { RunSetup } from '../run/setup';

export interface WriteBack {
  readonly port: TargetPort;
  /** The source's objects with these ids as it now holds them (missing: could not be read back). */
  readBack(ids: readonly string[]): Promise<Map<string, Record<string, unknown>>>;
  close(): Promise<void>;
}

const trimSlash = (path: string) => path.replace(/\/+$/, '');

/**
 * How the source is written when the synchronisation leaves it out: a REST source's collection is its
 * read endpoint (POST there, PUT/DELETE `<endpoint>/{{targetId}}`); an SQL source's table is the table
 * it is read from, keyed on its key column.
 */
export function writeBackSettings(setup: RunSetup): Record<string, unknown> {
  const stored = setup.sync.writeBack ?? {};
  const endpoint = setup.sync.sourceEndpoint;
  if (setup.source.type === 'sql') {
    const key = setup.sourceConfig.sql?.keyColumn ?? setup.idField;
    return { table: endpoint, keyColumns: [key], ...stored };
  }
  const one = `${trimSlash(endpoint)}/{{targetId}}`;
  return { createEndpoint: endpoint || '/', updateEndpoint: one, deleteEndpoint: one, ...stored };
}

export function buildWriteBack(
  setup: RunSetup,
  options: AdapterOptions,
): { ok: true; writeBack: WriteBack } | { ok: false; message: string } {
  const { source, sync } = setup;
  const settings = writeBackSettings(setup);
  try {
    if (source.type === 'sql') {
      const config = readStored(sqlSourceConfig, source.config, `source ${source.id} settings`);
      const target = sqlTargetConfigSchema.safeParse(settings);
      if (!config.success || !target.success)
        return {
          ok: false,
          message: `How to write the source "${source.name}" back is not configured correctly.`,
        };
      const port = createSqlTarget({
        systemId: source.id,
        name: source.name,
        source: config.data,
        secrets: setup.sourceSecrets,
        target: target.data,
        writeMode: 'upsert',
        urlPolicy: options.urlPolicy,
      });
      const column = target.data.keyColumns[0] ?? setup.idField;
      const readBack = async (ids: readonly string[]) => {
        const reader = createSqlSource({
          systemId: source.id,
          name: source.name,
          source: config.data,
          secrets: setup.sourceSecrets,
          endpoint: sync.sourceEndpoint,
          keyColumn: column,
          maxPages: maxPagesOf(setup.sourceConfig),
          urlPolicy: options.urlPolicy,
          byIds: { ids, column },
        });
        try {
          return await collect(reader.pages(null), setup.idField);
        } finally {
          await reader.close();
        }
      };
      return { ok: true, writeBack: { port, readBack, close: () => port.close() } };
    }
    if (source.type !== 'rest')
      return { ok: false, message: 'Only a REST or SQL source can be written back.' };
    const config = readStored(restSourceConfig, source.config, `source ${source.id} settings`);
    const target = restTargetConfigSchema.safeParse(settings);
    if (!config.success || !target.success)
      return {
        ok: false,
        message: `How to write the source "${source.name}" back is not configured correctly.`,
      };
    const port = createRestTarget({
      systemId: source.id,
      source: config.data,
      secrets: setup.sourceSecrets,
      target: target.data,
      urlPolicy: options.urlPolicy,
      http: options.http,
    });
    const objectEndpoint = setup.sourceConfig.objectEndpoint ?? `${trimSlash(sync.sourceEndpoint)}/{{id}}`;
    const readBack = async (ids: readonly string[]) => {
      const reader = createRestIdSource({
        systemId: source.id,
        source: config.data,
        secrets: setup.sourceSecrets,
        endpoint: sync.sourceEndpoint,
        sync: setup.sourceConfig,
        urlPolicy: options.urlPolicy,
        http: options.http,
        ids,
        objectEndpoint,
        idField: setup.idField,
      });
      try {
        return await collect(reader.pages(null), setup.idField);
      } finally {
        await reader.close();
      }
    };
    return { ok: true, writeBack: { port, readBack, close: () => port.close() } };
  } catch (error) {
    return {
      ok: false,
      message: `The source "${source.name}" cannot be written: ${(error as Error).message}`,
    };
  }
}

/** Every object of a by-id listing, by id; a listing that fails leaves the rest unread (not an error). */
async function collect(
  pages: AsyncGenerator<{ objects: readonly unknown[] }, unknown, void>,
  idField: string,
): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  for await (const page of pages) {
    for (const item of identifyObjects(page.objects, idField))
      if (item.ok) found.set(item.originId, item.object);
  }
  return found;
}
