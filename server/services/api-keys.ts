// Organisation API keys for the trigger endpoint: shown once when created, stored as a hash, revocable.
import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Db } from '../db/client';
import { apiKeys } from '../db/schema';
import { hashToken, newToken } from '../security/tokens';
import { notFound } from './errors';

const KEY_PREFIX = 'cnc_';

export async function createApiKey(db: Db, orgId: string, createdBy: string, name: string) {
  const key = newToken(KEY_PREFIX);
  const [row] = await db
    .insert(apiKeys)
    .values({
      orgId,
      name: name.trim(),
      prefix: key.slice(0, KEY_PREFIX.length + 6),
      keyHash: hashToken(key),
      createdBy,
    })
    .returning({ id: apiKeys.id, name: apiKeys.name, prefix: apiKeys.prefix, createdAt: apiKeys.createdAt });
  return { ...row!, key };
}

export async function listApiKeys(db: Db, orgId: string) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      prefix: apiKeys.prefix,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.orgId, orgId))
    .orderBy(desc(apiKeys.createdAt));
}

export async function revokeApiKey(db: Db, orgId: string, keyId: string) {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  if (!row) throw notFound('The API key');
}

/** The organisation a presented key belongs to, or null for an unknown or revoked key. */
export async function authenticateApiKey(
  db: Db,
  key: string,
): Promise<{ orgId: string; keyId: string } | null> {
  if (!key.startsWith(KEY_PREFIX)) return null;
  const [row] = await db
    .select({ id: apiKeys.id, orgId: apiKeys.orgId })
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, hashToken(key)), isNull(apiKeys.revokedAt)));
  if (!row) return null;
  await db.update(apiKeys).set({ lastUsedAt: new Date() }).where(eq(apiKeys.id, row.id));
  return { orgId: row.orgId, keyId: row.id };
}
