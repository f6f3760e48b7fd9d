// Connections as /api/v1 answers them: the group itself, its page (each member synchronisation side
// by side with its latest run and contracts), what Run all started, and what discovering a source found.
import { z } from 'zod';
import { FIELD_FORMATS, FIELD_TYPES } from '@/server/sync/core/discover';
import { Run, toRun } from './index';

const time = z.iso.datetime().describe('ISO 8601 time');
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export const Connection = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    sourceId: z.string(),
    registerId: z.string().nullable().describe('The register its schemas went into.'),
    scheduleCron: z.string().nullable().describe('One schedule for every member; null: none.'),
    scheduleTimezone: z.string(),
    nextRunAt: time.nullable(),
    createdAt: time,
    updatedAt: time,
  })
  .meta({
    id: 'Connection',
    description:
      'Synchronisations created together from one source’s data types, run and scheduled together.',
  });

type ConnectionRow = {
  id: string;
  name: string;
  description: string;
  sourceId: string;
  registerId: string | null;
  scheduleCron: string | null;
  scheduleTimezone: string;
  nextRunAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
};

export function toConnection(c: ConnectionRow): z.output<typeof Connection> {
  return {
    id: c.id,
    name: c.name,
    description: c.description,
    sourceId: c.sourceId,
    registerId: c.registerId,
    scheduleCron: c.scheduleCron,
    scheduleTimezone: c.scheduleTimezone,
    nextRunAt: iso(c.nextRunAt),
    createdAt: iso(c.createdAt)!,
    updatedAt: iso(c.updatedAt)!,
  };
}

export const ConnectionMember = z
  .object({
    synchronisationId: z.string(),
    name: z.string(),
    enabled: z.boolean(),
    sourceEndpoint: z.string(),
    targetRegisterId: z.string().nullable(),
    targetSchemaId: z.string().nullable(),
    schemaName: z.string().nullable(),
    mappingId: z.string().nullable(),
    mappingName: z.string().nullable(),
    lastRun: Run.nullable().describe('Its latest run that was not a test run.'),
    contracts: z.object({
      total: z.int(),
      byStatus: z.record(z.string(), z.int()).describe('Contracts per status (`synced`, `failed`, …).'),
    }),
  })
  .meta({ id: 'ConnectionMember' });

export const ConnectionDetail = Connection.extend({
  source: z.object({ id: z.string(), name: z.string(), type: z.string() }),
  members: z.array(ConnectionMember),
}).meta({ id: 'ConnectionDetail', description: 'A connection with each member side by side.' });

type Status = {
  connection: ConnectionRow;
  source: { id: string; name: string; type: string };
  members: {
    sync: {
      id: string;
      name: string;
      enabled: boolean;
      sourceEndpoint: string;
      targetRegisterId: string | null;
      targetSchemaId: string | null;
      mappingId: string | null;
    };
    schemaName: string | null;
    mappingName: string | null;
    lastRun: (Record<string, unknown> & { id: string; createdAt: Date }) | null;
    contracts: { total: number; byStatus: Record<string, number> };
  }[];
};

export function toConnectionDetail(s: Status): z.output<typeof ConnectionDetail> {
  return {
    ...toConnection(s.connection),
    source: s.source,
    members: s.members.map((m) => ({
      synchronisationId: m.sync.id,
      name: m.sync.name,
      enabled: m.sync.enabled,
      sourceEndpoint: m.sync.sourceEndpoint,
      targetRegisterId: m.sync.targetRegisterId,
      targetSchemaId: m.sync.targetSchemaId,
      schemaName: m.schemaName,
      mappingId: m.sync.mappingId,
      mappingName: m.mappingName,
      lastRun: m.lastRun ? toRun(m.lastRun) : null,
      contracts: m.contracts,
    })),
  };
}

export const ConnectionRunsStarted = z
  .object({
    runs: z.array(
      z.object({
        synchronisationId: z.string(),
        run: Run,
        alreadyActive: z.boolean().describe('It was already queued or running: this is that run.'),
      }),
    ),
    skipped: z
      .array(z.object({ synchronisationId: z.string(), name: z.string(), reason: z.string() }))
      .describe('Members not run (`disabled`): enable them, or ask for a test run.'),
  })
  .meta({ id: 'ConnectionRunsStarted' });

const DataField = z.object({
  name: z.string(),
  type: z.enum(FIELD_TYPES),
  format: z.enum(FIELD_FORMATS).optional(),
  nullable: z.boolean(),
  key: z.boolean(),
  givenBySource: z
    .boolean()
    .optional()
    .describe(
      'The source gives a new object this value when it is left out (a column default, a generated key, a REST API’s id): not required in the schema made from it.',
    ),
  sourceType: z.string().optional(),
});

export const Discovery = z
  .object({
    ok: z.boolean(),
    reason: z.string().optional().describe('When not ok: why the source could not be read.'),
    types: z
      .array(
        z.object({
          name: z.string(),
          kind: z.enum(['table', 'view', 'endpoint', 'file']),
          endpoint: z.string(),
          fields: z.array(DataField),
          idField: z.string().nullable(),
          resultsPosition: z.string().optional(),
          problem: z
            .string()
            .nullable()
            .describe('Why it cannot be synchronised as it is; null when it can.'),
        }),
      )
      .optional()
      .describe('Send the ones you want (with an id field) as `types` to create a connection.'),
    failures: z
      .array(z.object({ endpoint: z.string(), reason: z.string() }))
      .optional()
      .describe('REST endpoints that could not be read, each with its reason.'),
  })
  .meta({ id: 'Discovery', description: 'The data types a source offers.' });
