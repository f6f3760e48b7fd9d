// The contracts' answers of /api/v1: a contract (what Concord remembers of one synchronised object), a
// page of them, and one with its record history. The two-way internals (bases, echoes, the flap
// breaker's count) and the last object sent stay inside.
import { z } from 'zod';
import { CONTRACT_ACTIONS, CONTRACT_STATUSES } from '@/server/sync/core/contracts';

const time = z.iso.datetime().describe('ISO 8601 time');
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export const Contract = z
  .object({
    id: z.string(),
    synchronisationId: z.string(),
    synchronisationName: z.string().optional(),
    originId: z.string().describe('The object’s id at the source.'),
    parentOriginId: z.string().nullable().describe('For a sub-object: the origin id it was found in.'),
    targetId: z.string().nullable().describe('The object’s id at the target, once written.'),
    status: z.enum(CONTRACT_STATUSES),
    lastAction: z.enum(CONTRACT_ACTIONS).nullable(),
    lastError: z.string().nullable(),
    originHash: z.string().nullable(),
    targetHash: z.string().nullable(),
    sourceLastChanged: time.nullable(),
    sourceLastChecked: time.nullable(),
    sourceLastSynced: time.nullable(),
    targetLastChanged: time.nullable(),
    targetLastSynced: time.nullable(),
    createdAt: time,
    updatedAt: time,
  })
  .meta({ id: 'Contract' });

type ContractRow = {
  id: string;
  synchronisationId: string;
  synchronisationName?: string;
  originId: string;
  parentOriginId: string | null;
  targetId: string | null;
  status: z.output<typeof Contract>['status'];
  lastAction: z.output<typeof Contract>['lastAction'];
  lastError: string | null;
  originHash: string | null;
  targetHash: string | null;
  sourceLastChanged: Date | null;
  sourceLastChecked: Date | null;
  sourceLastSynced: Date | null;
  targetLastChanged: Date | null;
  targetLastSynced: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

export function toContract(c: ContractRow): z.output<typeof Contract> {
  return {
    id: c.id,
    synchronisationId: c.synchronisationId,
    ...(c.synchronisationName !== undefined ? { synchronisationName: c.synchronisationName } : {}),
    originId: c.originId,
    parentOriginId: c.parentOriginId,
    targetId: c.targetId,
    status: c.status,
    lastAction: c.lastAction,
    lastError: c.lastError,
    originHash: c.originHash,
    targetHash: c.targetHash,
    sourceLastChanged: iso(c.sourceLastChanged),
    sourceLastChecked: iso(c.sourceLastChecked),
    sourceLastSynced: iso(c.sourceLastSynced),
    targetLastChanged: iso(c.targetLastChanged),
    targetLastSynced: iso(c.targetLastSynced),
    createdAt: iso(c.createdAt)!,
    updatedAt: iso(c.updatedAt)!,
  };
}

export const ContractPage = z
  .object({
    items: z.array(Contract),
    total: z.int().describe('How many match; with `totalExact` false, more than this many (a wide search).'),
    totalExact: z.boolean(),
    nextCursor: z.string().nullable().describe('Also in the `Link: <…>; rel="next"` header.'),
    previousCursor: z.string().nullable().describe('The page before this one.'),
    lastCursor: z.string().nullable().describe('The last page (null on it).'),
  })
  .meta({ id: 'ContractPage' });

export const ContractVersion = z
  .object({
    number: z.int().describe('1 for the oldest version kept.'),
    action: z.string().describe('What the run did: create, update, rewrite, write-back, match or delete.'),
    runId: z.string().nullable().describe('The run that wrote it (null once that run was removed).'),
    trigger: z.string().nullable(),
    at: time,
    data: z.unknown().describe('The object as written (null for a deletion).'),
    changes: z
      .array(
        z.object({
          path: z.string(),
          kind: z.enum(['added', 'removed', 'changed', 'moved']),
          before: z.unknown().optional(),
          after: z.unknown().optional(),
          movedTo: z.int().optional(),
        }),
      )
      .describe('What changed since the version before.'),
  })
  .meta({ id: 'ContractVersion' });

export const ContractDetail = Contract.extend({
  sourceObject: z.unknown().describe('The source object as last seen (null where none was kept).'),
  versions: z.array(ContractVersion).describe('Newest first: each run that changed the object.'),
}).meta({ id: 'ContractDetail' });

export function toVersion(v: {
  number: number;
  action: string;
  runId: string | null;
  trigger: string | null;
  at: Date;
  data: unknown;
  changes: readonly z.output<typeof ContractVersion>['changes'][number][];
}): z.output<typeof ContractVersion> {
  return {
    number: v.number,
    action: v.action,
    runId: v.runId,
    trigger: v.trigger,
    at: iso(v.at)!,
    data: v.data,
    changes: [...v.changes],
  };
}
