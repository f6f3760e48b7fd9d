// What a synchronisation is configured with beyond its columns: how to read the source (seed 002's
// resultsPosition, sourceIdField, pagination, conditions…) and how to write a REST target.
import { z } from 'zod';
import { DEFAULT_MAX_PAGES, paginationConfigSchema } from '../core/pagination/config';
import { strictObject } from '../core/strict-object';

const stringRecord = z.record(z.string().min(1), z.string()).default({});

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
 * answer itself) is matched to the objects by position. A batch the target refuses as a whole is split in
 * halves until the object it refuses stands alone: that one is rejected with the target's answer.
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
  /** A batch endpoint for creates and/or updates (see restBatchSchema). */
  batch: restBatchSchema.optional(),
});

export type RestTargetConfig = z.output<typeof restTargetConfigSchema>;
export type RestTargetConfigInput = z.input<typeof restTargetConfigSchema>;
export type RestBatchConfig = z.output<typeof restBatchSchema>;
