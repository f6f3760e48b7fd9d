// The start-up step that moves secrets an earlier version saved in plain text into encrypted secrets:
// a secret-looking header or query parameter in a REST source's settings becomes its secret
// `header:<name>` / `query:<name>`; one in a synchronisation's own settings becomes its own secret, its
// placeholder left in the settings (config/legacy-secrets.ts says where each goes and why requests send
// what they sent before). SQL migrations cannot do this: encrypting needs the process key.
//
// One transaction per organisation, which reads its rows again inside: a process that dies halfway has
// moved whole organisations or none of one, and another process starting at the same time (scaled mode)
// finds nothing left in what it moved. Rows without plain secrets are never written, so running it at
// every start costs one read of the settings.
import { and, eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { sources, synchronisations } from '../db/schema';
import { getEncryptionKey } from '../security/keys';
import { sealJson } from '../security/secret-box';
import { moveSourcePlainValues, moveSyncPlainValues } from '../sync/config/legacy-secrets';
import { readSecrets } from './sources';
import { readSyncSecrets, writeSyncSecrets } from './sync-secrets';

export interface LegacySecretsMoved {
  organisations: number;
  sources: number;
  synchronisations: number;
}

/** Moves every organisation's plain secrets; returns what it moved. */
export async function moveLegacySecrets(db: Db): Promise<LegacySecretsMoved> {
  const moved: LegacySecretsMoved = { organisations: 0, sources: 0, synchronisations: 0 };
  for (const orgId of await organisationsWithPlainSecrets(db)) {
    const counts = await db.transaction((tx) => moveOrganisation(tx, orgId));
    if (counts.sources + counts.synchronisations === 0) continue;
    moved.organisations++;
    moved.sources += counts.sources;
    moved.synchronisations += counts.synchronisations;
  }
  return moved;
}

const restSources = (orgId?: string) =>
  orgId ? and(eq(sources.type, 'rest'), eq(sources.orgId, orgId)) : eq(sources.type, 'rest');

async function organisationsWithPlainSecrets(db: Db): Promise<string[]> {
  const [sourceRows, syncRows] = await Promise.all([
    db.select({ orgId: sources.orgId, config: sources.config }).from(sources).where(restSources()),
    db
      .select({ orgId: synchronisations.orgId, config: synchronisations.sourceConfig })
      .from(synchronisations),
  ]);
  const orgs = new Set<string>();
  for (const row of sourceRows) if (moveSourcePlainValues(row.config, {})) orgs.add(row.orgId);
  for (const row of syncRows) if (moveSyncPlainValues(row.config, {}, {})) orgs.add(row.orgId);
  return [...orgs];
}

async function moveOrganisation(tx: Tx, orgId: string) {
  const counts = { sources: 0, synchronisations: 0 };
  const rows = await tx.select().from(sources).where(restSources(orgId));
  // The secrets each source held before this move: a synchronisation's value one of them went over
  // was never sent (config/legacy-secrets.ts).
  const given = new Map<string, Record<string, string>>();
  const unreadable = new Set<string>();
  for (const row of rows) {
    const secrets = openedOrNull(row);
    if (!secrets) {
      unreadable.add(row.id);
      continue;
    }
    given.set(row.id, secrets);
    const split = moveSourcePlainValues(row.config, secrets);
    if (!split) continue;
    // Its address is the same, and so is what it sends: its edit time moves (its answer changed).
    await tx
      .update(sources)
      .set({ config: split.config, secretsCipher: sealJson(split.secrets, getEncryptionKey()) })
      .where(and(eq(sources.orgId, orgId), eq(sources.id, row.id)));
    counts.sources++;
  }
  // Every synchronisation's, whatever its source: only a REST source's requests carry them, but a
  // value at rest in plain text is one too many.
  const syncs = await tx
    .select({
      id: synchronisations.id,
      sourceId: synchronisations.sourceId,
      sourceConfig: synchronisations.sourceConfig,
      updatedAt: synchronisations.updatedAt,
    })
    .from(synchronisations)
    .where(eq(synchronisations.orgId, orgId));
  for (const sync of syncs) {
    if (unreadable.has(sync.sourceId) || !moveSyncPlainValues(sync.sourceConfig, {}, {})) continue;
    const kept = await readSyncSecrets(tx, orgId, sync.id);
    const split = moveSyncPlainValues(sync.sourceConfig, kept, given.get(sync.sourceId) ?? {});
    if (!split) continue;
    // Its requests are the same: the edit time the skip rule compares stays.
    await tx
      .update(synchronisations)
      .set({ sourceConfig: split.config, updatedAt: sync.updatedAt })
      .where(and(eq(synchronisations.orgId, orgId), eq(synchronisations.id, sync.id)));
    await writeSyncSecrets(tx, orgId, sync.id, split.secrets);
    counts.synchronisations++;
  }
  return counts;
}

/** A source's secrets, or null when they cannot be opened (another key): it is left as it is, and said. */
function openedOrNull(row: typeof sources.$inferSelect): Record<string, string> | null {
  try {
    return readSecrets(row);
  } catch (error) {
    console.warn(
      `Concord: the secrets of source ${row.id} cannot be decrypted (${String(error)}); its plain settings were not moved.`,
    );
    return null;
  }
}
