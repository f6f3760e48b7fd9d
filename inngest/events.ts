// Typed events, validated with zod when created and received.
import { eventType } from 'inngest';
import { z } from 'zod';

const counts = z.object({
  found: z.number(),
  created: z.number(),
  updated: z.number(),
  deleted: z.number(),
  skipped: z.number(),
  invalid: z.number(),
  failed: z.number(),
  filtered: z.number(),
  held: z.number(),
  // Optional only for events sent before they existed (Inngest allows no defaults in event schemas).
  rewritten: z.number().optional(),
  // Carried into the follow-on run: a listing with an object without an id deletes nothing (rule 9).
  unidentified: z.number().optional(),
});

/** Start (or continue, with `resume`) a queued run. */
export const runRequested = eventType('sync/run.requested', {
  schema: z.object({
    runId: z.string().min(1),
    syncId: z.string().min(1),
    resume: z
      .object({
        from: z.unknown(),
        counts,
        pagesFetched: z.number(),
        // Incremental synchronisations: the window frozen at the start and what the pages saw of the
        // updated-at field, so the follow-on reads up to the same bound (core/incremental).
        window: z.unknown().optional(),
        facts: z.unknown().optional(),
      })
      .optional(),
  }),
});

export const runCancelled = eventType('sync/run.cancelled', {
  schema: z.object({ runId: z.string().min(1) }),
});

/** One object that arrived by webhook, to be synchronised now. */
export const objectReceived = eventType('sync/object.received', {
  schema: z.object({
    runId: z.string().min(1),
    syncId: z.string().min(1),
    object: z.record(z.string(), z.unknown()),
  }),
});

/** Register changes were queued in the push outbox: the push-changes function takes them out. */
export const changesQueued = eventType('register/changes.queued', {
  schema: z.object({ orgId: z.string().min(1), schemaId: z.string().min(1) }),
});
