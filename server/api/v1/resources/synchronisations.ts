// What saving a synchronisation answers besides the configuration: the warnings a person sees after
// saving in the form (another synchronisation writes into the same register schema), and the content
// version that serves as its ETag.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { Synchronisation, toSynchronisation } from './index';

export const SaveWarning = z
  .object({
    field: z.string().describe('The configuration field the warning is about (`targetSchemaId`).'),
    message: z.string(),
    others: z
      .array(z.object({ id: z.string(), name: z.string() }))
      .describe('The synchronisations it names.'),
  })
  .meta({ id: 'SaveWarning', description: 'Saved, but worth a look: what to do is in the message.' });

export const SavedSynchronisation = Synchronisation.extend({ warnings: z.array(SaveWarning) }).meta({
  id: 'SavedSynchronisation',
  description: 'The configuration as saved, with what the form would warn about.',
});

/**
 * The ETag of a synchronisation: a number drawn from its whole answer. `updatedAt` alone would not do:
 * switching it on or off keeps `updatedAt` (the skip rule's clock), yet changes what a client holds.
 */
export function syncVersion(row: Record<string, unknown>): number {
  const digest = createHash('sha256')
    .update(JSON.stringify(toSynchronisation(row)))
    .digest('hex');
  // 48 bits: a safe integer, as If-Match is read as one.
  return Number.parseInt(digest.slice(0, 12), 16);
}
