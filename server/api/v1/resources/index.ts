// The shapes /api/v1 answers with, as zod schemas (they are the OpenAPI document's components), and
// the functions that turn service rows into them. Secrets and internal columns never appear here.
import { z } from 'zod';
import { maskedParams } from '@/server/sync/config/source-secrets';

export const time = z.iso.datetime().describe('ISO 8601 time');
export const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    instance: z.string(),
    errors: z
      .array(z.object({ field: z.string(), pointer: z.string(), detail: z.string() }))
      .optional()
      .describe('Bad input: each problem at its field (`body.data.name`) with a JSON Pointer.'),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details.' });

export const Register = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    schemas: z.array(z.object({ id: z.string(), name: z.string() })).optional(),
    createdAt: time,
    updatedAt: time,
  })
  .meta({ id: 'Register' });

export function toRegister(r: {
  id: string;
  name: string;
  description: string;
  createdAt: Date;
  updatedAt: Date;
  schemas?: { id: string; name: string }[];
}): z.output<typeof Register> {
  return {
    id: r.id,
    name: r.name,
    description: r.description,
    ...(r.schemas ? { schemas: r.schemas.map((s) => ({ id: s.id, name: s.name })) } : {}),
    createdAt: iso(r.createdAt)!,
    updatedAt: iso(r.updatedAt)!,
  };
}

export const Schema = z
  .object({
    id: z.string(),
    registerId: z.string(),
    name: z.string(),
    description: z.string(),
    jsonSchema: z.record(z.string(), z.unknown()),
    createdAt: time,
    updatedAt: time,
  })
  .meta({ id: 'Schema' });

export function toSchema(s: {
  id: string;
  registerId: string;
  name: string;
  description: string;
  jsonSchema: Record<string, unknown>;
  createdAt: Date;
  updatedAt: Date;
}): z.output<typeof Schema> {
  return {
    id: s.id,
    registerId: s.registerId,
    name: s.name,
    description: s.description,
    jsonSchema: s.jsonSchema,
    createdAt: iso(s.createdAt)!,
    updatedAt: iso(s.updatedAt)!,
  };
}

export const RegisterObject = z
  .object({
    id: z.string(),
    registerId: z.string(),
    schemaId: z.string(),
    version: z.int().describe('Also the ETag: send it back in If-Match to update safely.'),
    data: z.record(z.string(), z.unknown()),
    deletedAt: time.nullable(),
    createdAt: time,
    updatedAt: time,
  })
  .meta({ id: 'Object' });

export function toObject(o: {
  id: string;
  registerId: string;
  schemaId: string;
  version: number;
  data: Record<string, unknown>;
  deletedAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
}): z.output<typeof RegisterObject> {
  return {
    id: o.id,
    registerId: o.registerId,
    schemaId: o.schemaId,
    version: o.version,
    data: o.data,
    deletedAt: iso(o.deletedAt),
    createdAt: iso(o.createdAt)!,
    updatedAt: iso(o.updatedAt)!,
  };
}

export const Change = z
  .object({
    objectId: z.string(),
    op: z.enum(['upsert', 'delete']).describe('`delete` is a tombstone: the object is gone or soft-deleted.'),
    changedAt: time,
    object: RegisterObject.nullable().describe('The object as it is now; null after a hard delete.'),
  })
  .meta({ id: 'Change' });

export const ChangePage = z
  .object({
    changes: z.array(Change),
    cursor: z.string().describe('Pass it as `cursor` to get the changes after these; keep it for next time.'),
    hasMore: z.boolean(),
  })
  .meta({ id: 'ChangePage' });

export const Run = z
  .object({
    id: z.string(),
    synchronisationId: z.string(),
    trigger: z.string(),
    status: z.string(),
    result: z.string().nullable(),
    message: z.string().nullable(),
    test: z.boolean(),
    force: z.boolean(),
    counts: z.record(z.string(), z.number()).optional(),
    createdAt: time,
    startedAt: time.nullable(),
    finishedAt: time.nullable(),
  })
  .meta({ id: 'Run' });

const COUNT_KEYS = [
  'found',
  'created',
  'updated',
  'rewritten',
  'skipped',
  'deleted',
  'invalid',
  'failed',
  'filtered',
  'held',
] as const;

export function toRun(r: Record<string, unknown> & { id: string; createdAt: Date }): z.output<typeof Run> {
  const counts: Record<string, number> = {};
  for (const k of COUNT_KEYS) if (typeof r[k] === 'number') counts[k] = r[k];
  return {
    id: r.id,
    synchronisationId: String(r.synchronisationId),
    trigger: String(r.trigger),
    status: String(r.status),
    result: (r.result as string | null) ?? null,
    message: (r.message as string | null) ?? null,
    test: Boolean(r.test),
    force: Boolean(r.force),
    counts,
    createdAt: iso(r.createdAt)!,
    startedAt: iso(r.startedAt as Date | null),
    finishedAt: iso(r.finishedAt as Date | null),
  };
}

export const RunEntry = z
  .object({
    id: z.string(),
    originId: z.string().nullable(),
    targetId: z.string().nullable(),
    action: z.string(),
    reason: z.string().nullable(),
  })
  .meta({ id: 'RunEntry' });

export const Synchronisation = z
  .looseObject({
    id: z.string(),
    name: z.string(),
    enabled: z.boolean(),
    direction: z.string(),
    createdAt: time,
    updatedAt: time,
    nextRunAt: time
      .nullable()
      .describe(
        'When it runs next: by its schedule, or a one-time one at its time; null when off or on demand.',
      ),
    lastRunId: z
      .string()
      .nullable()
      .describe('Its latest finished run, test runs aside (`GET /runs/{runId}`); null before the first.'),
    lastRunAt: time.nullable().describe('When that run finished.'),
    lastResult: z.enum(['success', 'warning', 'error']).nullable().describe('How that run ended.'),
  })
  .meta({
    id: 'Synchronisation',
    description:
      'The configuration as the UI edits it (never the webhook token), with when it runs next and its latest run.',
  });

/** Where the synchronisation stands with its runs: not configuration, so left out of its ETag. */
export const RUN_STATE_KEYS = ['nextRunAt', 'lastRunId', 'lastRunAt', 'lastResult'] as const;

export interface SyncRunState {
  readonly nextRunAt: Date | null;
  readonly lastRunId: string | null;
  readonly lastRunAt: Date | null;
  readonly lastResult: string | null;
}

/**
 * Dates to ISO strings, secret-looking headers and query parameters of its own masked; left out: the webhook token's hash, and the number the contracts' indexes go by
 * (Concord's own, given by the database after the insert, so a create's answer would lack it).
 */
export function toSynchronisation(
  row: Record<string, unknown>,
  state: SyncRunState,
): z.output<typeof Synchronisation> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    if (k === 'webhookTokenHash' || k === 'orgId' || k === 'seq') continue;
    out[k] = v instanceof Date ? v.toISOString() : v;
  }
  // A secret an earlier version saved in its headers or query parameters reads `***`.
  if ('sourceConfig' in out) out['sourceConfig'] = maskedParams(out['sourceConfig']);
  out['nextRunAt'] = iso(state.nextRunAt);
  out['lastRunId'] = state.lastRunId;
  out['lastRunAt'] = iso(state.lastRunAt);
  out['lastResult'] = state.lastResult;
  return out as z.output<typeof Synchronisation>;
}

export const ApiKeyInfo = z
  .object({ id: z.string(), organisationId: z.string(), scopes: z.array(z.string()) })
  .meta({ id: 'ApiKeyInfo' });

export const list = <T extends z.ZodType>(item: T, name: string) =>
  z
    .object({
      items: z.array(item),
      nextCursor: z.string().nullable().describe('Also in the `Link: <…>; rel="next"` header.'),
    })
    .meta({ id: name });
