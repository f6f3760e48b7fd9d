// What a synchronisation is configured with beyond its columns: how to read the source (seed 002's
// resultsPosition, sourceIdField, pagination, conditions…) and how to write a REST target.
import { z } from 'zod';
import { parseQueryTemplate } from '../core/incremental/query';
import { DEFAULT_MAX_PAGES, paginationConfigSchema } from '../core/pagination/config';
import { strictObject } from '../core/strict-object';
import {
  CONFLICT_POLICIES,
  SOURCES_OF_TRUTH,
  TARGET_ONLY_POLICIES,
  type TwoWaySettings,
} from '../core/two-way/settings';

const stringRecord = z.record(z.string().min(1), z.string()).default({});

/** The most selected ids one synchronisation may name (pasted or uploaded). */
export const MAX_SELECTED_IDS = 10_000;

/**
 * Objects nested in each source object (order lines, addresses), synchronised with contracts of their
 * own into the same target as their parent. A child's origin id combines parent id, path and child id.
 */
export const subObjectConfigSchema = strictObject({
  /** Dot path to the list (or single object) inside each source object, e.g. `lines`. */
  path: z.string().trim().min(1),
  /** Dot path to each child's id within the list. */
  idField: z.string().trim().min(1).default('id'),
  /** The mapping applied to each child; none writes children as they come. */
  mappingId: z.string().min(1).nullish(),
});

/** Reading an SQL source; the table or query itself is the synchronisation's endpoint. */
export const sqlReadConfigSchema = strictObject({
  /** The column pages are keyed on: unique, never NULL. Left out: the id field. */
  keyColumn: z.string().trim().min(1).max(300).optional(),
  /** Rows per page (one query each). */
  pageSize: z.int().min(1).max(50_000).default(1000),
});

/**
 * Reading only what changed, by the source's own updated-at values (see core/incremental). Every few
 * runs, or on its own schedule, a full reconciliation lists everything and may delete.
 */
export const incrementalConfigSchema = strictObject({
  /** The updated-at field: a dot path into each object (REST), or a column (SQL). */
  field: z.string().trim().min(1).max(300),
  /** REST sources: the query that asks for changes, `{{cursor}}` standing for the lower bound. */
  query: z
    .string()
    .trim()
    .max(2000)
    .superRefine((text, ctx) => {
      const parsed = parseQueryTemplate(text);
      if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.reason });
    })
    .optional(),
  /** Read this much before the cursor again: seconds for dates and times, the field's unit for numbers. */
  lookbackSeconds: z.int().min(0).max(31_622_400).default(0),
  /** Every Nth run is a full reconciliation; left out: only on its schedule or when asked. */
  reconcileEveryRuns: z.int().min(1).max(100_000).optional(),
  /** A cron schedule (in the synchronisation's time zone) on which a full reconciliation runs. */
  reconcileCron: z.string().trim().min(1).max(200).optional(),
});

export type IncrementalConfig = z.output<typeof incrementalConfigSchema>;

export const syncSourceConfigSchema = strictObject({
  /** `_root`, `_object`, a dot path (`data.items`), or empty to detect `items`/`results`/`data`… */
  resultsPosition: z.string().trim().nullish(),
  /** Dot path to each object's unique id (also into XML attributes: `@attributes.id`). */
  sourceIdField: z.string().trim().min(1).default('id'),
  pagination: paginationConfigSchema.default({ kind: 'auto' }),
  /**
   * The page cap: hitting it ends the listing incomplete (a warning, and no deletions). Left out: the
   * default (DEFAULT_MAX_PAGES), which is not written into the saved settings, so a later default
   * applies to every synchronisation whose user never chose a cap (read it with `maxPagesOf`).
   */
  maxPages: z.int().min(1).max(100_000).optional(),
  /** Extra query parameters and headers for this synchronisation's requests (REST sources). */
  query: stringRecord,
  headers: stringRecord,
  /** A JSON Logic rule: only objects for which it is true are synchronised. */
  conditions: z.unknown().optional(),
  /** Hash only these fields, so a volatile field (a timestamp) does not force updates. */
  hashFields: z.array(z.string().trim().min(1)).default([]),
  subObjects: z.array(subObjectConfigSchema).max(20).default([]),
  /** SQL sources only. */
  sql: sqlReadConfigSchema.optional(),
  /**
   * Selected ids: only these origin ids are synchronised, and only they may be deleted. Fetched one by
   * one where the source can (a REST `objectEndpoint`, an SQL id column); otherwise the listing is read
   * and filtered. Empty: every object.
   */
  selectedIds: z.array(z.string().trim().min(1).max(500)).max(MAX_SELECTED_IDS).default([]),
  /** REST sources: the path of one object, `/items/{{id}}`, used to fetch selected ids one by one. */
  objectEndpoint: z
    .string()
    .trim()
    .min(1)
    .max(2000)
    .refine((text) => /\{\{\s*id\s*\}\}/.test(text), 'The path of one object must contain {{id}}.')
    .optional(),
  /** REST and SQL sources: read only what changed since the last run. */
  incremental: incrementalConfigSchema.optional(),
});

export type SyncSourceConfig = z.output<typeof syncSourceConfigSchema>;

/** The page cap a synchronisation runs with: its own, or the default. */
export const maxPagesOf = (config: { maxPages?: number | null }): number =>
  config.maxPages ?? DEFAULT_MAX_PAGES;
export type SyncSourceConfigInput = z.input<typeof syncSourceConfigSchema>;
export type SubObjectConfigInput = z.input<typeof subObjectConfigSchema>;
export type SqlReadConfig = z.output<typeof sqlReadConfigSchema>;

/** The moment of the deletion, in a soft delete's body: `{ "deletedAt": "{{now}}" }`. */
export const NOW_PLACEHOLDER = '{{now}}';

/**
 * How a REST target marks an object deleted instead of removing it: by default a PATCH of
 * `{ "deleted": true }` to the object. PATCH changes only the body's fields; PUT replaces the object.
 */
export const softDeleteSchema = strictObject({
  /** Left out: the delete endpoint (the object's own URL). */
  endpoint: z.string().trim().min(1).optional(),
  method: z.enum(['PATCH', 'PUT', 'POST']).default('PATCH'),
  /** Sent as it is, except that a value `{{now}}` becomes the moment of the deletion (ISO 8601). */
  body: z
    .record(z.string().min(1), z.unknown())
    .refine((body) => Object.keys(body).length > 0, 'The soft delete body must set at least one field.')
    .default({ deleted: true }),
});

/**
 * A batch endpoint: a page's creates (or updates) go out `size` at a time in one request each. The body is
 * a JSON array of the objects, or `{ "<itemsKey>": [...] }`; the answer's list (at `resultsPath`, or the
 * answer itself) is matched to the objects by position: a result of `null` or `false`, or one holding an
 * error at `errorPath`, is an object not written. A batch the target refuses as a whole is split in halves
 * until the object it refuses stands alone: that one is rejected with the target's answer.
 */
export const restBatchSchema = strictObject({
  /** Left out: creates go one by one to the create endpoint. */
  createEndpoint: z.string().trim().min(1).optional(),
  createMethod: z.enum(['POST', 'PUT']).default('POST'),
  /** Left out: updates go one by one. Each object carries its target id under idInRequestBody (or `id`). */
  updateEndpoint: z.string().trim().min(1).optional(),
  updateMethod: z.enum(['POST', 'PUT', 'PATCH']).default('POST'),
  /** Left out: the body is a bare JSON array. */
  itemsKey: z.string().trim().min(1).optional(),
  /** Where the answer lists one result per object, in order (dot path); left out: the answer itself. */
  resultsPath: z.string().trim().min(1).optional(),
  /**
   * Where an object's result holds the target's error for it (dot path within the result, e.g. `error`):
   * a value there — not null, false, 0, empty text, an empty list or object — marks the object refused,
   * with that value as the reason. Left out: any result but `null` or `false` is taken as the object written.
   */
  errorPath: z.string().trim().min(1).optional(),
  /** Objects per request. */
  size: z.int().min(2).max(1000).default(100),
});

/**
 * Writing to a REST target. Endpoints are templates relative to the target source's base URL:
 * `{{targetId}}`, `{{originId}}` and `{{object.<field>}}` are filled in (URL-encoded).
 */
export const restTargetConfigSchema = strictObject({
  createEndpoint: z.string().trim().min(1).default('/'),
  createMethod: z.enum(['POST', 'PUT']).default('POST'),
  updateEndpoint: z.string().trim().min(1).default('/{{targetId}}'),
  updateMethod: z.enum(['PUT', 'PATCH', 'POST']).default('PUT'),
  deleteEndpoint: z.string().trim().min(1).default('/{{targetId}}'),
  /** Where the new object's id is in the create response (dot path). */
  idPath: z.string().trim().min(1).default('id'),
  /** Put the target id into the body under this key on updates (seed 002's idInRequestBody). */
  idInRequestBody: z.string().trim().min(1).optional(),
  /** Soft deletion (the deletion policy `soft`): the request that marks an object deleted. */
  softDelete: softDeleteSchema.prefault({}),
  /**
   * Updates send only what changed since the last write, as a JSON merge patch (RFC 7396: a removed
   * field is sent as null) with PATCH; the contract keeps the object last sent to compare with. Left out
   * (not `false`): saved configurations stay as they were, and so does what their contracts remember.
   */
  sendChangedFields: z.boolean().optional(),
  /**
   * Where a 2xx answer to one object's write holds the target's error (dot path, e.g. `error`), for APIs
   * that answer `200 {"success": false, "error": "…"}`: a value there — not null, false, 0, empty text, an
   * empty list or object — makes the write refused (rejected) with that value as the reason. Left out:
   * every 2xx is the object written. A batch endpoint's results have their own (batch.errorPath).
   */
  errorPath: z.string().trim().min(1).optional(),
  /** A batch endpoint for creates and/or updates (see restBatchSchema). */
  batch: restBatchSchema.optional(),
  /**
   * How to ask the target whether it already holds an object: `GET {endpoint}?{param}={value of field}`
   * (endpoint: the create endpoint unless given). Asked before a create that an earlier, interrupted
   * attempt may have made already, so a restart never leaves the object twice (targets/create-intents.ts).
   */
  match: strictObject({
    field: z.string().trim().min(1).max(300),
    param: z.string().trim().min(1).max(200).optional(),
    endpoint: z.string().trim().min(1).optional(),
  }).optional(),
});

export type RestTargetConfig = z.output<typeof restTargetConfigSchema>;
export type RestTargetConfigInput = z.input<typeof restTargetConfigSchema>;
export type RestBatchConfig = z.output<typeof restBatchSchema>;

const sqlName = z.string().trim().min(1).max(300);
/** A value written into an SQL column: `{{now}}` is the moment of the deletion. */
const sqlValue = z.union([z.string().max(1000), z.number(), z.boolean(), z.null()]);

/**
 * Writing to an SQL source's table (PostgreSQL, MySQL/MariaDB): rows upserted on the key column(s),
 * the synchronised object's fields as columns. See server/sync/targets/sql.ts.
 */
export const sqlTargetConfigSchema = strictObject({
  /** The table: `people`, `crm.people`, `"Mixed Case"` (as in SQL; bare names fold as the database does). */
  table: sqlName,
  /** Unique together (the primary key); their values make the row's target id. */
  keyColumns: z.array(sqlName).min(1).max(8).default(['id']),
  /**
   * Column → field of the synchronised object (a dot path). Left out: every field of the object is the
   * column of the same name, and a field the table lacks is refused.
   */
  columns: z.record(sqlName, sqlName).optional(),
  /** Soft deletion (the deletion policy `soft`): the column that marks a row deleted. */
  softDelete: strictObject({
    column: sqlName,
    /** Written on deletion; `{{now}}` becomes the moment of the deletion. */
    value: sqlValue.default(true),
    /** Written with every create and update, so a row that comes back is no longer marked (optional). */
    activeValue: sqlValue.optional(),
  }).optional(),
});

export type SqlTargetConfig = z.output<typeof sqlTargetConfigSchema>;
export type SqlTargetConfigInput = z.input<typeof sqlTargetConfigSchema>;

const dotPath = z.string().trim().min(1).max(300);

/** A two-way synchronisation's policies (see core/two-way/settings.ts for what each means). */
export const twoWayConfigSchema = strictObject({
  conflictPolicy: z.enum(CONFLICT_POLICIES).default('manual'),
  sourceOfTruth: z.enum(SOURCES_OF_TRUTH).default('source'),
  targetOnly: z.enum(TARGET_ONLY_POLICIES).default('leave'),
  /** Pairs objects without a contract on the first run: the field on the source side and on the register side. */
  match: strictObject({ source: dotPath, target: dotPath }).nullish(),
  /** Updated-at fields for newer-wins (each side compared only with the other's, as a tie-break). */
  updatedAt: strictObject({ source: dotPath.nullish(), target: dotPath.nullish() }).prefault({}),
  /** The flap breaker: more than `writes` writes of one object within `minutes` quarantine it. */
  flap: strictObject({
    writes: z.int().min(2).max(1000).default(10),
    minutes: z
      .int()
      .min(1)
      .max(24 * 60)
      .default(10),
  }).prefault({}),
});
export type TwoWayConfig = z.output<typeof twoWayConfigSchema>;
export type TwoWayConfigInput = z.input<typeof twoWayConfigSchema>;

/** The settings a stored two-way configuration stands for (left out: the defaults). */
export function twoWaySettingsOf(config: TwoWayConfig): TwoWaySettings {
  return {
    conflictPolicy: config.conflictPolicy,
    sourceOfTruth: config.sourceOfTruth,
    targetOnly: config.targetOnly,
    match: config.match ?? null,
    updatedAt: { source: config.updatedAt.source ?? null, target: config.updatedAt.target ?? null },
    flap: { writes: config.flap.writes, minutes: config.flap.minutes },
  };
}

/**
 * A push subscriber's unsubscribe list (seed 004): `paused` stops every change; `objectIds` (origin ids
 * in the register's data, or register object ids) and `fields` (dot paths) stop changes of those
 * objects, or changes that touch only those fields. The subscription itself stays.
 */
export const unsubscribeSchema = strictObject({
  paused: z.boolean().default(false),
  objectIds: z.array(z.string().min(1)).max(MAX_SELECTED_IDS).default([]),
  fields: z.array(dotPath).max(200).default([]),
});
export type UnsubscribeConfig = z.output<typeof unsubscribeSchema>;
