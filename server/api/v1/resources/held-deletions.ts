// Deletions held for approval, as /api/v1 answers them: per synchronisation, how many and why (the
// threshold the run went over), and the objects that would be deleted. Held deletions have no id of
// their own: a synchronisation's are approved or rejected together, as on its page in the app.
import { z } from 'zod';
import { iso, time } from './index';

const threshold = z
  .number()
  .describe(
    'The approval threshold: when a run finds more than this share (0–1) of the objects gone at once, ' +
      'it deletes none of them and holds the deletions for approval.',
  );

export const HeldDeletionSummary = z
  .object({
    synchronisationId: z.string(),
    synchronisationName: z.string(),
    count: z.int().describe('How many deletions wait for approval.'),
    threshold,
    reason: z.string().nullable().describe('What the run that held them said.'),
  })
  .meta({ id: 'HeldDeletionSummary' });

export const HeldDeletionSummaryList = z
  .object({ items: z.array(HeldDeletionSummary) })
  .meta({ id: 'HeldDeletionSummaryList' });

export const HeldDeletion = z
  .object({
    contractId: z
      .string()
      .describe('The contract of the object: `GET /contracts/{contractId}` shows it whole.'),
    originId: z.string().describe('The object’s id in the source, where it is gone.'),
    targetId: z.string().nullable().describe('The object’s id in the target, which approval deletes.'),
    reason: z.string().nullable().describe('Why it is held.'),
    lastSyncedAt: time.nullable().describe('When it was last written to the target.'),
  })
  .meta({ id: 'HeldDeletion' });

export const HeldDeletionPage = z
  .object({
    synchronisationId: z.string(),
    count: z.int().describe('How many deletions wait for approval in all.'),
    threshold,
    items: z.array(HeldDeletion),
    nextCursor: z.string().nullable().describe('Also in the `Link: <…>; rel="next"` header.'),
  })
  .meta({ id: 'HeldDeletionPage' });

export function toHeldDeletion(c: {
  id: string;
  originId: string;
  targetId: string | null;
  lastError: string | null;
  targetLastSynced: Date | null;
}): z.output<typeof HeldDeletion> {
  return {
    contractId: c.id,
    originId: c.originId,
    targetId: c.targetId,
    reason: c.lastError,
    lastSyncedAt: iso(c.targetLastSynced),
  };
}
