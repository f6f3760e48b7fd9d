// Writing a two-way synchronisation's source: the REST or SQL target machinery pointed at the source
// system itself, and reading back what was written (BRIEF: "read back after the write where the target
// normalises values"), so the next run compares the source with what it really holds.
import type { Db } from '../../db/client';
import { readStored } from '../config/stored';
import { restSourceConfig, sqlSourceConfig } from '../config/source-config';
import { maxPagesOf } from '../config/sync-config';
import { resolveWriteBack } from '../config/write-back';
import { hashObject } from '../core/canonical-json';
import { identifyObjects } from '../core/ids';
import type { TargetPort } from '../ports';
import { createRestIdSource, createRestObjectReader, type RestObjectAnswer } from '../sources/rest-by-id';
import { createSqlSource } from '../sources/sql';
import { idsStatement, parseSqlRead } from '../sources/sql-dialects';
import { rowToObject } from '../sources/sql-values';
import type { CurrentHashes } from '../targets/sql-unchanged';
import { createIntentStore } from '../stores/create-intents';
import { keyHoldersOf } from '../stores/key-holders';
import { guardCreates } from '../targets/create-intents';
import { createRestTarget } from '../targets/rest';
import { createSqlTarget } from '../targets/sql';
import type { AdapterOptions } from '../run/adapters';
import type { RunSetup } from '../run/setup';

export interface WriteBack {
  readonly port: TargetPort;
  /** The source's objects with these ids as it now holds them (missing: could not be read back). */
  readBack(ids: readonly string[]): Promise<Map<string, Record<string, unknown>>>;
  /**
   * Creates whose answer never named the object the source made — taken (a 2xx) without one, or cut
   * off while out: the register object each came from and what was sent (stores/create-intents.ts), for
   * the listing to know the object again.
   */
  outstandingCreates(): Promise<{ registerId: string; sent: Record<string, unknown> }[]>;
  /**
   * A REST source's object as it is now, read just before it is updated or deleted (source-unchanged.ts).
   * An SQL source has none: its target checks inside the write's transaction.
   */
  readonly current?: (id: string) => Promise<RestObjectAnswer>;
  close(): Promise<void>;
}

const trimSlash = (path: string) => (path.split(/[?#]/)[0] ?? '').replace(/\/+$/, '');

/**
 * `guard`: where creates at the source are written ahead (targets/create-intents.ts), and the source
 * field that identifies an object (the two-way match field) to ask the source for an object that an
 * interrupted attempt may have created already.
 */
export function buildWriteBack(
  setup: RunSetup,
  options: AdapterOptions,
  guard: { db: Db; runId: string; matchField: string | null },
): { ok: true; writeBack: WriteBack } | { ok: false; message: string } {
  const { source, sync } = setup;
  if (source.type !== 'rest' && source.type !== 'sql')
    return { ok: false, message: 'Only a REST or SQL source can be written back.' };
  try {
    // The saved settings over the defaults (config/write-back.ts), as the form shows them.
    const resolved = resolveWriteBack(source.type, sync);
    if (resolved.kind === 'sql') {
      const config = readStored(sqlSourceConfig, source.config, `source ${source.id} settings`);
      if (!config.success)
        return {
          ok: false,
          message: `The source "${source.name}" is not configured correctly: open it and save its settings again.`,
        };
      const column = resolved.config.keyColumns[0] ?? setup.idField;
      const sqlTarget = createSqlTarget({
        systemId: source.id,
        name: source.name,
        source: config.data,
        secrets: setup.sourceSecrets,
        target: resolved.config,
        writeMode: 'upsert',
        // A row at the object's key that no contract names is a change at the source, never overwritten.
        takenKeys: 'refuse',
        keyHolders: keyHoldersOf(guard.db, sync.id, 'origin'),
        urlPolicy: options.urlPolicy,
        // A row changed at the source since the run read it is not written over (targets/sql-unchanged.ts).
        currentHashes: sourceRowHashes(config.data.dialect, sync.sourceEndpoint, column, setup),
      });
      // Refusing taken keys, a create repeated after it landed (a process killed before its contract was
      // saved) must learn it landed: written ahead, as the REST write-back's.
      const intents = createIntentStore(guard.db, {
        orgId: sync.orgId,
        syncId: sync.id,
        systemId: source.id,
        runId: guard.runId,
      });
      const port = Object.assign(guardCreates(sqlTarget, intents, { every: true }), {
        close: () => sqlTarget.close(),
      });
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
      const outstandingCreates = () => intents.outstandingFromRegister();
      return { ok: true, writeBack: { port, readBack, outstandingCreates, close: () => port.close() } };
    }
    const config = readStored(restSourceConfig, source.config, `source ${source.id} settings`);
    if (!config.success)
      return {
        ok: false,
        message: `The source "${source.name}" is not configured correctly: open it and save its settings again.`,
      };
    const match = resolved.config.match ?? (guard.matchField ? { field: guard.matchField } : undefined);
    const rest = createRestTarget({
      systemId: source.id,
      source: config.data,
      secrets: setup.sourceSecrets,
      target: match ? { ...resolved.config, match } : resolved.config,
      urlPolicy: options.urlPolicy,
      http: options.http,
      // A record gone at the source is the listing's to decide (deleted there, or a conflict): a
      // write-back never creates it again.
      createsGone: false,
      // A create answered with an id another record's contract holds is not linked (rest-taken-ids.ts).
      idHolders: keyHoldersOf(guard.db, sync.id, 'origin'),
    });
    const intents = createIntentStore(guard.db, {
      orgId: sync.orgId,
      syncId: sync.id,
      systemId: source.id,
      runId: guard.runId,
    });
    const port = Object.assign(guardCreates(rest, intents), { close: () => rest.close() });
    const objectEndpoint = setup.sourceConfig.objectEndpoint ?? `${trimSlash(sync.sourceEndpoint)}/{{id}}`;
    // Read as the listing reads: with the synchronisation's own headers and query parameters.
    const reading = {
      systemId: source.id,
      source: config.data,
      secrets: setup.readingSecrets,
      endpoint: sync.sourceEndpoint,
      sync: setup.sourceConfig,
      urlPolicy: options.urlPolicy,
      http: options.http,
      objectEndpoint,
    };
    const readBack = async (ids: readonly string[]) => {
      const reader = createRestIdSource({ ...reading, ids, idField: setup.idField });
      try {
        return await collect(reader.pages(null), setup.idField);
      } finally {
        await reader.close();
      }
    };
    const outstandingCreates = () => intents.outstandingFromRegister();
    const reader = createRestObjectReader(reading);
    const close = async () => {
      await reader.close();
      await port.close();
    };
    return {
      ok: true,
      writeBack: { port, readBack, outstandingCreates, current: (id) => reader.read(id), close },
    };
  } catch (error) {
    return {
      ok: false,
      message: `The source "${source.name}" cannot be written: ${(error as Error).message}`,
    };
  }
}

/**
 * The rows' hashes as the run hashes the source's objects: read by the source's own SELECT (its table or
 * query) by id, on the write's connection inside its transaction, so they are the rows as they are now.
 */
function sourceRowHashes(
  dialect: 'postgres' | 'mysql',
  endpoint: string,
  column: string,
  setup: RunSetup,
): CurrentHashes {
  return async (db, ids) => {
    const read = parseSqlRead(dialect, endpoint);
    if (!read.ok) throw new Error(`the synchronisation's table or query is not usable: ${read.reason}`);
    const hashes = new Map<string, string>();
    for (let i = 0; i < ids.length; i += 1000) {
      const batch = ids.slice(i, i + 1000);
      const result = await db.execute(idsStatement(dialect, read.read, column, batch.length), batch);
      const objects = result.rows.map((row) => rowToObject(row, result.columns ?? []));
      for (const item of identifyObjects(objects, setup.idField))
        if (item.ok) hashes.set(item.originId, hashObject(item.object, setup.settings.hashFields));
    }
    return hashes;
  };
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
