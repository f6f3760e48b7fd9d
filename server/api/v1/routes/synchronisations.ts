// Synchronisations: list, get, create, change (If-Match), switch on or off, delete, and request a run.
// Saving goes through the same service as the form, so the same checks refuse the same configurations
// (the two opposite one-way synchronisations, two-way settings, …) at the field they name.
import { z } from 'zod';
import type { Db } from '@/server/db/client';
import { dispatchRun } from '@/server/runner/dispatch';
import { listFollowedBy, listFollowUps } from '@/server/services/follow-ups';
import { requestRun } from '@/server/services/runs';
import { syncWarnings } from '@/server/services/sync-warnings';
import { incrementalState, resetCursor } from '@/server/services/sync-cursor';
import {
  createSynchronisation,
  deleteSynchronisation,
  listSynchronisations,
  loadSynchronisation,
  resolvedWriteBack,
  setSynchronisationEnabled,
  updateSynchronisation,
} from '@/server/services/synchronisations';
import { loadRunState, runStateOf } from '@/server/services/sync-run-state';
import { pageById } from '../cursor';
import { route, type RouteDef } from '../define';
import * as R from '../resources';
import {
  contentVersion,
  IncrementalState,
  SavedSynchronisation,
  SynchronisationDetail,
  toIncrementalState,
  toSynchronisationDetail,
} from '../resources/synchronisations';
import { checkVersion, id, pageQuery } from './shared';
import { mergedInput, syncCreateBody, syncPatchBody } from './synchronisation-input';

const bySync = z.object({ syncId: id('synchronisation') });

type SyncRow = Awaited<ReturnType<typeof loadSynchronisation>>;

/** The synchronisation as its page shows it, with its ETag (as the tRPC `get` reads it). */
async function detail(db: Db, orgId: string, row: SyncRow) {
  const [followUps, followedBy, writeBackResolved, state] = await Promise.all([
    listFollowUps(db, orgId, row.id),
    listFollowedBy(db, orgId, row.id),
    resolvedWriteBack(db, orgId, row),
    loadRunState(db, row),
  ]);
  const body = toSynchronisationDetail(row, state, { followUps, followedBy, writeBackResolved });
  return { body, version: contentVersion(body) };
}

/** The current ETag checked against If-Match before a change. */
async function checkCurrent(db: Db, orgId: string, syncId: string, ifMatch: number | undefined) {
  const current = await loadSynchronisation(db, orgId, syncId);
  if (ifMatch !== undefined)
    checkVersion((await detail(db, orgId, current)).version, ifMatch, 'synchronisation');
  return current;
}

/** The saved synchronisation with its ETag and what the form would warn about. */
async function saved(db: Db, orgId: string, row: SyncRow) {
  const [shown, warnings] = await Promise.all([detail(db, orgId, row), syncWarnings(db, orgId, row)]);
  return { body: { ...shown.body, warnings }, version: shown.version };
}

/** Switching on or off, as the toggle on the synchronisation's page does. */
function toggle(enabled: boolean): RouteDef {
  return route({
    method: 'POST',
    path: `/synchronisations/{syncId}/${enabled ? 'enable' : 'disable'}`,
    operationId: enabled ? 'enableSynchronisation' : 'disableSynchronisation',
    tag: 'Synchronisations',
    summary: enabled
      ? 'Switch a synchronisation on (checked again as when saved)'
      : 'Switch a synchronisation off (its schedule stops; test runs still work)',
    description:
      'An `If-Match` header with the ETag you read refuses the switch (412) if it changed since.' +
      (enabled
        ? ' Refused (409) when it would close a loop with another enabled synchronisation; the problem ' +
          'names the field to change.'
        : ''),
    scope: 'write',
    params: bySync,
    response: SynchronisationDetail,
    etag: true,
    handler: async ({ db, caller, params, ifMatch }) => {
      const current = await checkCurrent(db, caller.orgId, params.syncId, ifMatch);
      return detail(db, caller.orgId, await setSynchronisationEnabled(db, caller.orgId, current.id, enabled));
    },
  });
}

export const synchronisationRoutes: RouteDef[] = [
  route({
    method: 'GET',
    path: '/synchronisations',
    operationId: 'listSynchronisations',
    tag: 'Synchronisations',
    summary: 'List synchronisations',
    scope: 'read',
    query: pageQuery,
    response: R.list(R.Synchronisation, 'SynchronisationList'),
    paginated: true,
    handler: async ({ db, caller, query }) => {
      const rows = (await listSynchronisations(db, caller.orgId)).map((r) => ({ ...r, id: r.sync.id }));
      const page = pageById(rows, query.cursor, query.limit);
      const now = new Date();
      const items = page.items.map((r) => R.toSynchronisation(r.sync, runStateOf(r.sync, r.state, now)));
      return {
        body: { items, nextCursor: page.nextCursor },
        next: page.next,
      };
    },
  }),
  route({
    method: 'GET',
    path: '/synchronisations/{syncId}',
    operationId: 'getSynchronisation',
    tag: 'Synchronisations',
    summary: 'Get a synchronisation with its follow-ups (and its ETag)',
    scope: 'read',
    params: bySync,
    response: SynchronisationDetail,
    etag: true,
    handler: async ({ db, caller, params }) =>
      detail(db, caller.orgId, await loadSynchronisation(db, caller.orgId, params.syncId)),
  }),
  route({
    method: 'POST',
    path: '/synchronisations',
    operationId: 'createSynchronisation',
    tag: 'Synchronisations',
    summary: 'Create a synchronisation (checked as the form checks it)',
    description:
      'A refused configuration answers a problem whose `errors` name each field (`body.sourceConfig.…`). ' +
      '`warnings` say what is saved but worth a look, such as another synchronisation writing into the ' +
      'same register schema.',
    scope: 'write',
    body: syncCreateBody,
    response: SavedSynchronisation,
    status: 201,
    etag: true,
    example: {
      name: 'People into the directory, nightly',
      sourceId: '{restSourceId}',
      sourceEndpoint: '/people',
      sourceConfig: { pagination: { kind: 'link-header' } },
      mappingId: '{personMappingId}',
      targetType: 'register',
      targetRegisterId: '{registerId}',
      targetSchemaId: '{schemaId}',
      scheduleCron: '0 2 * * *',
      scheduleTimezone: 'Europe/Amsterdam',
    },
    handler: async ({ db, caller, body }) =>
      saved(db, caller.orgId, await createSynchronisation(db, caller.orgId, body)),
  }),
  route({
    method: 'PATCH',
    path: '/synchronisations/{syncId}',
    operationId: 'updateSynchronisation',
    tag: 'Synchronisations',
    summary: 'Change a synchronisation: the fields you send, the rest as saved',
    description:
      'Send If-Match with the ETag you read: a change made since then is refused (412). The whole ' +
      'configuration is checked again, as when the form saves it. Setting `direction` to `one-way` ' +
      'drops the two-way settings unless you send them.',
    scope: 'write',
    params: bySync,
    body: syncPatchBody,
    response: SavedSynchronisation,
    etag: true,
    example: { description: 'Every person, each night at two', scheduleCron: '0 2 * * *' },
    handler: async ({ db, caller, params, body, ifMatch }) => {
      const current = await checkCurrent(db, caller.orgId, params.syncId, ifMatch);
      const row = await updateSynchronisation(db, caller.orgId, current.id, mergedInput(current, body));
      return saved(db, caller.orgId, row);
    },
  }),
  toggle(false),
  toggle(true),
  route({
    method: 'GET',
    path: '/synchronisations/{syncId}/incremental',
    operationId: 'getIncrementalState',
    tag: 'Synchronisations',
    summary: 'Incremental reading: the cursor and when the next full reconciliation comes',
    scope: 'read',
    params: bySync,
    response: IncrementalState,
    handler: async ({ db, caller, params }) => ({
      body: toIncrementalState(await incrementalState(db, caller.orgId, params.syncId)),
    }),
  }),
  route({
    method: 'POST',
    path: '/synchronisations/{syncId}/reset-cursor',
    operationId: 'resetCursor',
    tag: 'Synchronisations',
    summary: 'Forget the cursor: the next run lists everything (a full reconciliation) and takes a new one',
    scope: 'write',
    params: bySync,
    response: IncrementalState,
    handler: async ({ db, caller, params }) => ({
      body: toIncrementalState(await resetCursor(db, caller.orgId, params.syncId)),
    }),
  }),
  route({
    method: 'DELETE',
    path: '/synchronisations/{syncId}',
    operationId: 'deleteSynchronisation',
    tag: 'Synchronisations',
    summary: 'Delete a synchronisation with its runs and contracts (the register objects stay)',
    scope: 'write',
    params: bySync,
    response: z.null(),
    status: 204,
    etag: true,
    handler: async ({ db, caller, params, ifMatch }) => {
      const current = await checkCurrent(db, caller.orgId, params.syncId, ifMatch);
      await deleteSynchronisation(db, caller.orgId, current.id);
      return { body: undefined };
    },
  }),
  route({
    method: 'POST',
    path: '/synchronisations/{syncId}/runs',
    operationId: 'runSynchronisation',
    tag: 'Runs',
    summary: 'Run a synchronisation now (test: a dry run; force: rewrite unchanged objects)',
    description:
      'Send an Idempotency-Key: a retried request returns the same run. While a run is queued or ' +
      'running, the request gets that run back (`alreadyActive`).',
    scope: 'run',
    params: bySync,
    body: z
      .object({
        test: z.boolean().default(false),
        force: z.boolean().default(false),
        full: z.boolean().default(false).describe('Incremental synchronisations: a full reconciliation.'),
      })
      .strict()
      .optional()
      .default({ test: false, force: false, full: false }),
    response: z.object({ run: R.Run, alreadyActive: z.boolean() }).meta({ id: 'RunRequested' }),
    status: 202,
    example: { test: true },
    handler: async ({ db, caller, params, body }) => {
      const { run, alreadyActive } = await requestRun(db, caller.orgId, params.syncId, {
        trigger: 'api',
        ...body,
      });
      if (!alreadyActive) await dispatchRun(db, run);
      return { body: { run: R.toRun(run), alreadyActive } };
    },
  }),
];
