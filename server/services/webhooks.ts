// Webhooks in (seed 004): a synchronisation can accept pushed objects at its own URL, guarded by a
// secret token shown once. One object syncs now; an empty POST requests a full run.
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client';
import { runs, synchronisations } from '../db/schema';
import { hashToken, newToken, tokenMatches } from '../security/tokens';
import { UserError } from './errors';
import { loadSynchronisation } from './synchronisations';

export async function enableWebhook(db: Db, orgId: string, syncId: string) {
  const current = await loadSynchronisation(db, orgId, syncId);
  const token = newToken('whk_');
  // Not an edit of how objects are synchronised: the skip rule stays valid.
  await db
    .update(synchronisations)
    .set({ webhookEnabled: true, webhookTokenHash: hashToken(token), updatedAt: current.updatedAt })
    .where(and(eq(synchronisations.orgId, orgId), eq(synchronisations.id, syncId)));
  return { token, path: `/api/webhooks/${syncId}` };
}

export async function disableWebhook(db: Db, orgId: string, syncId: string) {
  const current = await loadSynchronisation(db, orgId, syncId);
  await db
    .update(synchronisations)
    .set({ webhookEnabled: false, webhookTokenHash: null, updatedAt: current.updatedAt })
    .where(and(eq(synchronisations.orgId, orgId), eq(synchronisations.id, syncId)));
}

/** The synchronisation a webhook call is for, if it exists, accepts webhooks and the token matches. */
export async function webhookTarget(db: Db, syncId: string, token: string | null) {
  const [sync] = await db.select().from(synchronisations).where(eq(synchronisations.id, syncId));
  if (!sync?.webhookEnabled || !sync.webhookTokenHash)
    return { ok: false as const, status: 404, reason: 'No webhook here.' };
  if (!token || !tokenMatches(token, sync.webhookTokenHash)) {
    return { ok: false as const, status: 401, reason: 'The webhook token is missing or wrong.' };
  }
  if (!sync.enabled) return { ok: false as const, status: 409, reason: 'This synchronisation is disabled.' };
  return { ok: true as const, sync };
}

/** A run for one pushed object; it queues behind a running sync instead of being dropped. */
export async function requestObjectRun(
  db: Db,
  sync: { orgId: string; id: string },
  object: Record<string, unknown>,
) {
  if (Object.keys(object).length === 0) throw new UserError('BAD_REQUEST', 'The object is empty.');
  const [run] = await db
    .insert(runs)
    .values({ orgId: sync.orgId, synchronisationId: sync.id, trigger: 'webhook', cursor: { object } })
    .returning();
  return run!;
}
