// Organisation API keys: shown once when created, stored as a hash, with scopes (read, write, run,
// admin), an optional expiry, the time it was last used, rotation and revocation.
// Rotation gives the key a new secret and keeps the old one working for a grace period the caller
// chooses (0 = the old secret stops at once), so a system can be switched over without downtime.
import { and, desc, eq, gt, isNull, or } from 'drizzle-orm';
import type { Db } from '../db/client';
import { apiKeys, type ApiScope } from '../db/schema';
import { hashToken, newToken } from '../security/tokens';
import { notFound, UserError } from './errors';

const KEY_PREFIX = 'cnc_';
/** A rotated-out secret works at most this long. */
export const MAX_GRACE_SECONDS = 7 * 24 * 3600;
/** `lastUsedAt` is written at most this often per key: one write per request would be wasteful. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface ApiKeyInput {
  name: string;
  scopes?: ApiScope[];
  expiresAt?: Date | null;
}

const keyColumns = {
  id: apiKeys.id,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  scopes: apiKeys.scopes,
  expiresAt: apiKeys.expiresAt,
  createdAt: apiKeys.createdAt,
  lastUsedAt: apiKeys.lastUsedAt,
  rotatedAt: apiKeys.rotatedAt,
  previousValidUntil: apiKeys.previousValidUntil,
  revokedAt: apiKeys.revokedAt,
};

const newSecret = () => {
  const key = newToken(KEY_PREFIX);
  return { key, prefix: key.slice(0, KEY_PREFIX.length + 6), keyHash: hashToken(key) };
};

function checkExpiry(expiresAt: Date | null | undefined, now = new Date()) {
  if (expiresAt && expiresAt.getTime() <= now.getTime())
    throw new UserError('BAD_REQUEST', 'The expiry must be in the future.', 'expiresAt');
}

export async function createApiKey(db: Db, orgId: string, createdBy: string, input: ApiKeyInput | string) {
  const { name, scopes = ['run'], expiresAt = null } = typeof input === 'string' ? { name: input } : input;
  if (scopes.length === 0) throw new UserError('BAD_REQUEST', 'Give the key at least one scope.', 'scopes');
  checkExpiry(expiresAt);
  const { key, prefix, keyHash } = newSecret();
  const [row] = await db
    .insert(apiKeys)
    .values({ orgId, name: name.trim(), prefix, keyHash, scopes: [...new Set(scopes)], expiresAt, createdBy })
    .returning(keyColumns);
  return { ...row!, key };
}

export async function listApiKeys(db: Db, orgId: string) {
  return db.select(keyColumns).from(apiKeys).where(eq(apiKeys.orgId, orgId)).orderBy(desc(apiKeys.createdAt));
}

export async function revokeApiKey(db: Db, orgId: string, keyId: string) {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: new Date(), previousKeyHash: null, previousValidUntil: null })
    .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  if (!row) throw notFound('The API key');
}

/**
 * A new secret for the key (returned once). The old secret keeps working for `graceSeconds`
 * (0: it stops at once); a secret rotated out earlier stops now, so at most two ever work.
 */
export async function rotateApiKey(db: Db, orgId: string, keyId: string, graceSeconds: number) {
  if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_GRACE_SECONDS)
    throw new UserError(
      'BAD_REQUEST',
      `The grace period is a whole number of seconds from 0 to ${MAX_GRACE_SECONDS}.`,
      'graceSeconds',
    );
  const [current] = await db
    .select({ keyHash: apiKeys.keyHash })
    .from(apiKeys)
    .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)));
  if (!current) throw notFound('The API key');
  const now = new Date();
  const { key, prefix, keyHash } = newSecret();
  const [row] = await db
    .update(apiKeys)
    .set({
      keyHash,
      prefix,
      previousKeyHash: graceSeconds > 0 ? current.keyHash : null,
      previousValidUntil: graceSeconds > 0 ? new Date(now.getTime() + graceSeconds * 1000) : null,
      rotatedAt: now,
    })
    // Only if nobody rotated it in between: two rotations racing must not both hand out a working key.
    .where(and(eq(apiKeys.id, keyId), eq(apiKeys.keyHash, current.keyHash)))
    .returning(keyColumns);
  if (!row) throw new UserError('CONFLICT', 'The key was rotated meanwhile: list the keys and try again.');
  return { ...row, key };
}

export interface ApiCaller {
  orgId: string;
  keyId: string;
  scopes: ApiScope[];
  /** Changes made with the key are recorded as made by the person who created it. */
  createdBy: string | null;
}

/** The key's organisation and scopes, or null for an unknown, revoked, expired or rotated-out key. */
export async function authenticateApiKey(db: Db, key: string, now = new Date()): Promise<ApiCaller | null> {
  if (!key.startsWith(KEY_PREFIX)) return null;
  const hash = hashToken(key);
  const [row] = await db
    .select({
      id: apiKeys.id,
      orgId: apiKeys.orgId,
      scopes: apiKeys.scopes,
      createdBy: apiKeys.createdBy,
      expiresAt: apiKeys.expiresAt,
      lastUsedAt: apiKeys.lastUsedAt,
    })
    .from(apiKeys)
    .where(
      and(
        isNull(apiKeys.revokedAt),
        or(
          eq(apiKeys.keyHash, hash),
          and(eq(apiKeys.previousKeyHash, hash), gt(apiKeys.previousValidUntil, now)),
        ),
      ),
    );
  if (!row) return null;
  if (row.expiresAt && row.expiresAt.getTime() <= now.getTime()) return null;
  if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS)
    await db.update(apiKeys).set({ lastUsedAt: now }).where(eq(apiKeys.id, row.id));
  return { orgId: row.orgId, keyId: row.id, scopes: row.scopes, createdBy: row.createdBy };
}

/** How a change made with a key is signed where a name is shown (a rejected deletion, say). */
export async function apiKeyLabel(db: Db, orgId: string, keyId: string): Promise<string> {
  const [row] = await db
    .select({ name: apiKeys.name })
    .from(apiKeys)
    .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, keyId)));
  return `the API key “${row?.name ?? keyId}”`;
}
