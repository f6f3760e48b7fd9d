// Chooses and builds the source and target adapters of a run from its setup.
import type { Db } from '../../db/client';
import { latestFileOf, versionOf } from '../../services/files';
import {
  fileSourceConfig,
  registerSourceConfig,
  restSourceConfig,
  sqlSourceConfig,
} from '../config/source-config';
import { readStored } from '../config/stored';
import { maxPagesOf } from '../config/sync-config';
import type { HttpClientOptions } from '../http';
import type { SourcePort, TargetPort } from '../ports';
import { createFileSource } from '../sources/file';
import { createRegisterSource } from '../sources/register';
import { createRegisterIdentity, type RegisterIdentity } from '../sources/register-identity';
import { createRestSource } from '../sources/rest';
import { createRestIdSource } from '../sources/rest-by-id';
import { filteredToIds } from '../sources/selected-ids';
import { createSqlSource } from '../sources/sql';
import { createIntentStore } from '../stores/create-intents';
import { keyHoldersOf } from '../stores/key-holders';
import { guardCreates } from '../targets/create-intents';
import { createRegisterTarget } from '../targets/register';
import { createRestTarget } from '../targets/rest';
import { createSqlTarget } from '../targets/sql';
import { sealingCursors, secretsByName } from './sealed-cursors';
import type { RunSetup } from './setup';

export interface AdapterOptions {
  urlPolicy: { allowPrivateNetworks: boolean };
  /** Tests shorten retries and inject clocks. */
  http?: Partial<HttpClientOptions>;
  /** Fetch a REST source's next page while one is processed: for executors that run a whole listing in one process. */
  readAhead?: boolean;
  /** Told after the register target queued changes in the push outbox (Inngest: send the event). */
  changesQueued?: (change: { orgId: string; schemaId: string }) => void;
  /** A test (dry) run: the register source's listing keeps contracts with their objects without writing. */
  test?: boolean;
  /** The waits before a push that did not get through is tried again (CONCORD_PUSH_RETRY_DELAYS_MS). */
  retryDelays?: readonly number[];
}

type Built<T> = { ok: true; port: T; close: () => Promise<void> } | { ok: false; message: string };
export type BuiltSource = Extract<Built<SourcePort<unknown>>, { ok: true }> & {
  /** A register source's: keeps its contracts with their register objects (wraps the contract store). */
  identity?: RegisterIdentity;
};
type BuiltSourceResult = BuiltSource | Extract<Built<SourcePort<unknown>>, { ok: false }>;
export type BuiltTarget = Extract<Built<TargetPort>, { ok: true }>;
const noClose = async () => {};
const misconfigured = (name: string) =>
  ({
    ok: false,
    message: `The source "${name}" is not configured correctly: open it and save its settings again.`,
  }) as const;

/**
 * The run's source. A synchronisation limited to selected ids fetches just those where the source can
 * (a REST path of one object, an SQL id column); otherwise its listing is read and filtered. Its cursors
 * are kept at rest (step results, a follow-on's resume point): they leave it without the run's secrets
 * (sealed-cursors.ts: a next link may echo an API key).
 */
export async function buildSource(
  db: Db,
  setup: RunSetup,
  options: AdapterOptions,
): Promise<BuiltSourceResult> {
  const built = await buildUnsealedSource(db, setup, options);
  return built.ok ? { ...built, port: sealingCursors(built.port, secretsByName(setup)) } : built;
}

async function buildUnsealedSource(
  db: Db,
  setup: RunSetup,
  options: AdapterOptions,
): Promise<BuiltSourceResult> {
  const ids = setup.sourceConfig.selectedIds;
  if (ids.length === 0) return buildListingSource(db, setup, options);
  const byId = buildIdSource(setup, options, ids);
  if (byId) return byId;
  const listing = await buildListingSource(db, setup, options);
  if (!listing.ok) return listing;
  return { ...listing, port: filteredToIds(listing.port, new Set(ids), setup.idField) };
}

/** A source that fetches only the selected ids, or null when this source can only be listed. */
function buildIdSource(
  setup: RunSetup,
  options: AdapterOptions,
  ids: readonly string[],
): BuiltSourceResult | null {
  const { source, sync, sourceConfig } = setup;
  if (source.type === 'rest' && sourceConfig.objectEndpoint) {
    const config = readStored(restSourceConfig, source.config, `source ${source.id} settings`);
    if (!config.success) return misconfigured(source.name);
    const port = createRestIdSource({
      systemId: source.id,
      source: config.data,
      secrets: setup.readingSecrets,
      endpoint: sync.sourceEndpoint,
      sync: sourceConfig,
      urlPolicy: options.urlPolicy,
      http: options.http,
      ids,
      objectEndpoint: sourceConfig.objectEndpoint,
      idField: setup.idField,
    });
    return { ok: true, port, close: () => port.close() };
  }
  // An id field that is a path into a column's JSON cannot be looked up with WHERE: listed instead.
  if (source.type === 'sql' && !setup.idField.includes('.')) {
    const config = readStored(sqlSourceConfig, source.config, `source ${source.id} settings`);
    if (!config.success) return misconfigured(source.name);
    const port = createSqlSource({
      systemId: source.id,
      name: source.name,
      source: config.data,
      secrets: setup.sourceSecrets,
      endpoint: sync.sourceEndpoint,
      keyColumn: sourceConfig.sql?.keyColumn ?? sourceConfig.sourceIdField,
      pageSize: sourceConfig.sql?.pageSize,
      maxPages: maxPagesOf(sourceConfig),
      urlPolicy: options.urlPolicy,
      byIds: { ids, column: setup.idField },
    });
    return { ok: true, port, close: () => port.close() };
  }
  return null;
}

async function buildListingSource(
  db: Db,
  setup: RunSetup,
  options: AdapterOptions,
): Promise<BuiltSourceResult> {
  const { source, sync } = setup;
  const orgId = sync.orgId;
  switch (source.type) {
    case 'rest': {
      const config = readStored(restSourceConfig, source.config, `source ${source.id} settings`);
      if (!config.success) return misconfigured(source.name);
      const port = createRestSource({
        systemId: source.id,
        source: config.data,
        secrets: setup.readingSecrets,
        endpoint: sync.sourceEndpoint,
        sync: setup.sourceConfig,
        urlPolicy: options.urlPolicy,
        http: options.http,
        readAhead: options.readAhead,
      });
      return { ok: true, port: port, close: () => port.close() };
    }
    case 'file': {
      const parsed = readStored(fileSourceConfig, source.config, `source ${source.id} settings`);
      if (!parsed.success) return misconfigured(source.name);
      const config = parsed.data;
      // A pin is checked again here: it was saved earlier, and the file must still be this source's.
      const file = config.fileId
        ? await versionOf(db, orgId, source.id, config.fileId)
        : await latestFileOf(db, orgId, source.id);
      if (!file && config.fileId) {
        return {
          ok: false,
          message:
            `The file source "${source.name}" is pinned to a version that is not one of its files: ` +
            'pin one of its versions or read the newest.',
        };
      }
      if (!file)
        return { ok: false, message: `The file source "${source.name}" has no file yet: upload one first.` };
      const port = createFileSource({
        db,
        orgId,
        systemId: source.id,
        format: config.format,
        fileId: file.id,
        csv: config.csv,
        resultsPosition: setup.sourceConfig.resultsPosition,
      });
      return { ok: true, port: port, close: noClose };
    }
    case 'register': {
      const config = readStored(registerSourceConfig, source.config, `source ${source.id} settings`);
      if (!config.success) return misconfigured(source.name);
      const schemaId = config.data.schemaId;
      const identity = createRegisterIdentity({
        db,
        orgId,
        syncId: sync.id,
        schemaId,
        idField: setup.idField,
        test: options.test === true,
      });
      const port = createRegisterSource({ db, orgId, systemId: source.id, schemaId, identity });
      return { ok: true, port: port, close: noClose, identity };
    }
    case 'sql': {
      const config = readStored(sqlSourceConfig, source.config, `source ${source.id} settings`);
      if (!config.success) return misconfigured(source.name);
      const read = setup.sourceConfig.sql;
      const port = createSqlSource({
        systemId: source.id,
        name: source.name,
        source: config.data,
        secrets: setup.sourceSecrets,
        endpoint: sync.sourceEndpoint,
        keyColumn: read?.keyColumn ?? setup.sourceConfig.sourceIdField,
        pageSize: read?.pageSize,
        maxPages: maxPagesOf(setup.sourceConfig),
        cursorColumn: setup.sourceConfig.incremental?.field,
        urlPolicy: options.urlPolicy,
      });
      return { ok: true, port, close: () => port.close() };
    }
  }
}

/**
 * The run's target. A REST target's creates are written ahead in the run's name (`runId`), so a step
 * repeated after a crash does not create an object twice (targets/create-intents.ts); an SQL target's
 * too where the database gives the row its key.
 */
export function buildTarget(
  db: Db,
  setup: RunSetup,
  options: AdapterOptions,
  runId: string,
): Built<TargetPort> {
  const { target, sync } = setup;
  if (target.kind === 'register') {
    const port = createRegisterTarget({
      db,
      orgId: sync.orgId,
      systemId: 'register',
      registerId: target.registerId,
      schemaId: target.schemaId,
      jsonSchema: target.jsonSchema,
      changesQueued: options.changesQueued,
    });
    return { ok: true, port, close: noClose };
  }
  if (target.kind === 'sql') return buildSqlTarget(db, setup, target, runId, options);
  const config = readStored(restSourceConfig, target.source.config, `source ${target.source.id} settings`);
  if (!config.success) return misconfigured(target.source.name);
  try {
    const port = createRestTarget({
      systemId: target.source.id,
      source: config.data,
      secrets: target.secrets,
      target: target.config,
      // The target mapping is applied by the engine: what the target is handed is the final body.
      urlPolicy: options.urlPolicy,
      http: options.http,
      // A create answered with an id another object holds is not linked (targets/rest-taken-ids.ts).
      idHolders: keyHoldersOf(db, sync.id, 'target'),
    });
    const intents = createIntentStore(db, {
      orgId: sync.orgId,
      syncId: sync.id,
      systemId: target.source.id,
      runId,
    });
    return { ok: true, port: guardCreates(port, intents), close: () => port.close() };
  } catch (error) {
    // A target that cannot even be set up (a missing secret) is a configuration problem, not an outage.
    return {
      ok: false,
      message: `The target "${target.source.name}" cannot be used: ${(error as Error).message}`,
    };
  }
}

function buildSqlTarget(
  db: Db,
  setup: RunSetup,
  target: Extract<RunSetup['target'], { kind: 'sql' }>,
  runId: string,
  options: AdapterOptions,
): Built<TargetPort> {
  const config = readStored(sqlSourceConfig, target.source.config, `source ${target.source.id} settings`);
  if (!config.success) return misconfigured(target.source.name);
  try {
    const port = createSqlTarget({
      systemId: target.source.id,
      name: target.source.name,
      source: config.data,
      secrets: target.secrets,
      target: target.config,
      writeMode: setup.sync.writeMode,
      keyHolders: keyHoldersOf(db, setup.sync.id, 'target'),
      urlPolicy: options.urlPolicy,
    });
    // A row whose key the database gives cannot be repeated by its key: those creates are written ahead.
    const intents = createIntentStore(db, {
      orgId: setup.sync.orgId,
      syncId: setup.sync.id,
      systemId: target.source.id,
      runId,
    });
    return { ok: true, port: guardCreates(port, intents), close: () => port.close() };
  } catch (error) {
    return {
      ok: false,
      message: `The target "${target.source.name}" cannot be used: ${(error as Error).message}`,
    };
  }
}
