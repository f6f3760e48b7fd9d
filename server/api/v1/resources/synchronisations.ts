// One synchronisation as its page shows it: the configuration with its follow-ups, the synchronisations
// it follows and, two-way, how it writes back with the defaults filled in; after a save, the warnings the
// form shows (another synchronisation writes into the same register schema). Its ETag is drawn from the
// whole answer.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Synchronisation, toSynchronisation } from './index';

export const SynchronisationDetail = Synchronisation.extend({
  followUps: z
    .array(z.object({ id: z.string(), name: z.string(), enabled: z.boolean() }))
    .describe('Run after it, in this order (`followUpIds` sets them).'),
  followedBy: z.array(z.object({ id: z.string(), name: z.string() })).describe('It runs after these.'),
  writeBackResolved: z
    .record(z.string(), z.unknown())
    .nullable()
    .describe('Two-way: how the source is written back to, defaults filled in; null when one-way.'),
}).meta({ id: 'SynchronisationDetail' });

export const SaveWarning = z
  .object({
    field: z.string().describe('The configuration field the warning is about (`targetSchemaId`).'),
    message: z.string(),
    others: z
      .array(z.object({ id: z.string(), name: z.string() }))
      .describe('The synchronisations it names.'),
  })
  .meta({ id: 'SaveWarning', description: 'Saved, but worth a look: what to do is in the message.' });

export const SavedSynchronisation = SynchronisationDetail.extend({ warnings: z.array(SaveWarning) }).meta({
  id: 'SavedSynchronisation',
  description: 'The configuration as saved, with what the form would warn about.',
});

export function toSynchronisationDetail(
  row: Record<string, unknown>,
  related: {
    followUps: { id: string; name: string; enabled: boolean }[];
    followedBy: { id: string; name: string }[];
    writeBackResolved: object | null;
  },
): z.output<typeof SynchronisationDetail> {
  return {
    ...toSynchronisation(row),
    followUps: related.followUps,
    followedBy: related.followedBy,
    writeBackResolved: related.writeBackResolved as Record<string, unknown> | null,
  };
}

/**
 * The ETag: a number drawn from the whole answer. `updatedAt` alone would not do: switching on or off
 * keeps it (the skip rule's clock), and so does another synchronisation naming this one as follow-up.
 */
export function contentVersion(body: unknown): number {
  const digest = createHash('sha256').update(JSON.stringify(body)).digest('hex');
  // 48 bits: a safe integer, as If-Match is read as one.
  return Number.parseInt(digest.slice(0, 12), 16);
}
