// A run's log as /api/v1 answers it, as the run's page shows it: its entries (filtered, each linked to
// its contract), the entries grouped by reason, and the timeline of pages, retries and deletions.
import { z } from 'zod';
import { RUN_CHANGE_OUTCOMES } from '@/server/db/schema';
import { RUN_ENTRY_ACTIONS, RUN_EVENT_KINDS } from '@/server/sync/ports';
import { RunEntry } from './index';

const time = z.iso.datetime().describe('ISO 8601 time');

export const RunEntryDetail = RunEntry.extend({
  action: z.enum(RUN_ENTRY_ACTIONS),
  contractId: z.string().nullable().describe('The contract of the object, to follow its history.'),
  data: z.unknown().optional().describe('Test runs: the object that would have been written.'),
  createdAt: time,
}).meta({ id: 'RunEntryDetail' });

export function toRunEntry(e: {
  id: string;
  originId: string | null;
  targetId: string | null;
  action: (typeof RUN_ENTRY_ACTIONS)[number];
  reason: string | null;
  data: unknown;
  contractId: string | null;
  createdAt: Date;
}): z.output<typeof RunEntryDetail> {
  return {
    id: e.id,
    originId: e.originId,
    targetId: e.targetId,
    action: e.action,
    reason: e.reason,
    contractId: e.contractId,
    ...(e.data === null || e.data === undefined ? {} : { data: e.data }),
    createdAt: e.createdAt.toISOString(),
  };
}

export const RunEntryPage = z
  .object({
    items: z.array(RunEntryDetail),
    total: z.int().describe('Entries matching the filters.'),
    page: z.int(),
    limit: z.int(),
  })
  .meta({ id: 'RunEntryPage' });

export const RunEntryGroups = z
  .object({
    groups: z.array(
      z.object({
        action: z.enum(RUN_ENTRY_ACTIONS),
        reason: z.string().nullable(),
        count: z.int(),
        examples: z
          .array(z.object({ originId: z.string(), contractId: z.string().nullable() }))
          .describe('A few of its objects.'),
      }),
    ),
    more: z
      .boolean()
      .describe('More reasons than shown: list the entries (filter by `reason`) to see them all.'),
  })
  .meta({ id: 'RunEntryGroups', description: 'The entries by action and reason, the largest groups first.' });

export const TimelineEvent = z
  .object({
    id: z.string(),
    kind: z
      .enum(RUN_EVENT_KINDS)
      .describe(
        'A page read (or failed), a retry of its request, the listing’s end, the deletion plan and batches.',
      ),
    at: time,
    page: z.int().nullable(),
    url: z.string().nullable().describe('The page’s URL, secrets masked.'),
    status: z.int().nullable().describe('The HTTP status of the answer.'),
    durationMs: z.int().nullable(),
    objects: z.int().nullable().describe('Objects on the page, or deleted in the batch.'),
    waitMs: z.int().nullable().describe('Retries: how long it waited before trying again.'),
    detail: z.string().nullable().describe('In words: why a retry or a failure happened, what was planned.'),
    data: z.record(z.string(), z.unknown()).nullable(),
  })
  .meta({ id: 'TimelineEvent' });

export function toTimelineEvent(e: {
  id: string;
  kind: (typeof RUN_EVENT_KINDS)[number];
  at: Date;
  page: number | null;
  url: string | null;
  status: number | null;
  durationMs: number | null;
  objects: number | null;
  waitMs: number | null;
  detail: string | null;
  data: Record<string, unknown> | null;
}): z.output<typeof TimelineEvent> {
  return { ...e, at: e.at.toISOString() };
}

export const Timeline = z
  .object({ items: z.array(TimelineEvent), total: z.int(), page: z.int(), limit: z.int() })
  .meta({ id: 'Timeline', description: 'The run’s timeline in the order its steps wrote it.' });

export const DeliveredChange = z
  .object({
    changeId: z.string().describe('The register change, the same id in every subscriber’s run.'),
    objectId: z.string(),
    outcome: z.enum(RUN_CHANGE_OUTCOMES),
    updatedAt: time,
  })
  .meta({ id: 'DeliveredChange', description: 'A push run’s change and how its delivery ended.' });
