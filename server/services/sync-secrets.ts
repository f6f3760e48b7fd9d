// A synchronisation's own secrets (config/sync-secrets.ts says which and why), encrypted with the
// process key in `synchronisation_secrets`; never answered, only their placeholders in its settings.
import { and, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { synchronisations, synchronisationSecrets } from '../db/schema';
import { getEncryptionKey } from '../security/keys';
import { openJson, sealJson } from '../security/secret-box';
import { withoutPlaceholders } from '../sync/config/sync-secrets';

export async function readSyncSecrets(db: Db | Tx, orgId: string, syncId: string) {
  const [row] = await db
    .select({ cipher: synchronisationSecrets.secretsCipher })
    .from(synchronisationSecrets)
    .where(
      and(eq(synchronisationSecrets.orgId, orgId), eq(synchronisationSecrets.synchronisationId, syncId)),
    );
  return row ? openJson(row.cipher, getEncryptionKey()) : {};
}

/** Stores what a synchronisation keeps (none: the row goes). */
export async function writeSyncSecrets(
  db: Db | Tx,
  orgId: string,
  syncId: string,
  secrets: Record<string, string>,
): Promise<void> {
  const mine = and(
    eq(synchronisationSecrets.orgId, orgId),
    eq(synchronisationSecrets.synchronisationId, syncId),
  );
  if (Object.keys(secrets).length === 0) {
    await db.delete(synchronisationSecrets).where(mine);
    return;
  }
  const secretsCipher = sealJson(secrets, getEncryptionKey());
  await db
    .insert(synchronisationSecrets)
    .values({ synchronisationId: syncId, orgId, secretsCipher })
    .onConflictDoUpdate({ target: synchronisationSecrets.synchronisationId, set: { secretsCipher } });
}

/**
 * A source now sends its secrets to another address: its synchronisations' own secrets were given for
 * the old one and go too, with their placeholders (the settings are otherwise unchanged, so their edit
 * time stays: the skip rule compares it).
 */
export async function dropSyncSecretsOfSource(tx: Tx, orgId: string, sourceId: string): Promise<void> {
  const held = await tx
    .select({
      id: synchronisations.id,
      sourceConfig: synchronisations.sourceConfig,
      updatedAt: synchronisations.updatedAt,
    })
    .from(synchronisations)
    .innerJoin(synchronisationSecrets, eq(synchronisationSecrets.synchronisationId, synchronisations.id))
    .where(and(eq(synchronisations.orgId, orgId), eq(synchronisations.sourceId, sourceId)));
  if (held.length === 0) return;
  for (const sync of held)
    await tx
      .update(synchronisations)
      .set({ sourceConfig: withoutPlaceholders(sync.sourceConfig), updatedAt: sync.updatedAt })
      .where(and(eq(synchronisations.orgId, orgId), eq(synchronisations.id, sync.id)));
  await tx.delete(synchronisationSecrets).where(
    and(
      eq(synchronisationSecrets.orgId, orgId),
      inArray(
        synchronisationSecrets.synchronisationId,
        held.map((s) => s.id),
      ),
    ),
  );
}
