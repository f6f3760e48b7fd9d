// Organisation API keys: shown once when created, stored as a hash, with scopes (read, write, run,
// admin), an optional expiry, the time it was last used, rotation and revocation.
// Rotation gives the key a new secret and keeps the old one working for a grace period the caller
// chooses (0 = the old secret stops at once), so a system can be switched over without downtime.
// A key acts for the person who created it: it stops working while they are not a member of its
// organisation, or their role lacks a permission one of its scopes needs (`keyStanding`). Checked on
// every call rather than revoked when a membership changes, so no path that removes or downgrades a
// member (leaving, removal, a role change, a deleted account) can forget it.
import { and, desc, eq, gt, isNull, or } from 'drizzle-orm';
import type { Db } from '../db/client';
import { apiKeys, memberships, users, type ApiScope, type Role } from '../db/schema';
import { scopesBeyondRole } from '../auth/permissions';
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

/** Why a key stopped working though nobody revoked it; 401: it stands for nobody, 403: it may not. */
export interface KeyStopped {
  status: 401 | 403;
  reason: string;
}

const NEW_KEY = 'An owner or admin can create a new key.';

/** Whether the key's creator still holds what its scopes need: null when it does. */
export function keyStanding(
  createdBy: string | null,
  role: Role | null,
  scopes: readonly ApiScope[],
): KeyStopped | null {
  if (!createdBy)
    return {
      status: 401,
      reason: `This API key no longer works: the account of the person who created it was deleted. ${NEW_KEY}`,
    };
  if (!role)
    return {
      status: 401,
      reason: `This API key no longer works: the person who created it is no longer a member of the organisation. ${NEW_KEY}`,
    };
  const beyond = scopesBeyondRole(role, scopes);
  if (beyond.length === 0) return null;
  const named = beyond.map((s) => `"${s}"`).join(' and ');
  return {
    status: 403,
    reason:
      `This API key no longer works: the person who created it is now ${/^[aeiou]/.test(role) ? 'an' : 'a'} ${role}, ` +
      `a role without the permissions of its ${named} scope${beyond.length > 1 ? 's' : ''}. ` +
      `Create a key with the scopes their role allows, or give them back a role that holds them.`,
  };
}

/** Why an expired key does not work: said where it is listed and to its caller, rather than "not valid". */
export function keyExpired(expiresAt: Date | null, now = new Date()): KeyStopped | null {
  if (!expiresAt || expiresAt.getTime() > now.getTime()) return null;
  return { status: 401, reason: `This API key expired on ${expiresAt.toISOString()}. ${NEW_KEY}` };
}

/** The creator's membership of the key's own organisation (none: left, or the account is gone). */
const creatorMembership = and(
  eq(memberships.orgId, apiKeys.orgId),
  eq(memberships.userId, apiKeys.createdBy),
);

/**
 * The keys, each with whom it acts for (`actsFor`, their name) and `stopped`: why it no longer works
 * though not revoked (null while it works).
 */
export async function listApiKeys(db: Db, orgId: string) {
  const rows = await db
    .select({
      ...keyColumns,
      createdBy: apiKeys.createdBy,
      creatorRole: memberships.role,
      actsFor: users.name,
    })
    .from(apiKeys)
    .leftJoin(memberships, creatorMembership)
    .leftJoin(users, eq(users.id, apiKeys.createdBy))
    .where(eq(apiKeys.orgId, orgId))
    .orderBy(desc(apiKeys.createdAt));
  return rows.map(({ createdBy, creatorRole, ...key }) => ({
    ...key,
    stopped: key.revokedAt
      ? null
      : ((keyExpired(key.expiresAt) ?? keyStanding(createdBy, creatorRole, key.scopes))?.reason ?? null),
  }));
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
 * (0: it stops at once); a secret rotated out earlier stops now, so at most two ever work. The person
 * rotating holds the new secret, so the key acts for them from now on (`createdBy`): otherwise an admin
 * could rotate someone else's key and keep a secret that outlives their own membership.
 */
export async function rotateApiKey(
  db: Db,
  orgId: string,
  keyId: string,
  graceSeconds: number,
  rotatedBy: string,
) {
  if (!Number.isInteger(graceSeconds) || graceSeconds < 0 || graceSeconds > MAX_GRACE_SECONDS)
    throw new UserError(
      'BAD_REQUEST',
      `The grace period is a whole number of seconds from 0 to ${MAX_GRACE_SECONDS}.`,
      'graceSeconds',
    );
  const [current] = await db
    .select({ keyHash: apiKeys.keyHash, expiresAt: apiKeys.expiresAt })
    .from(apiKeys)
    .where(and(eq(apiKeys.orgId, orgId), eq(apiKeys.id, keyId), isNull(apiKeys.revokedAt)));
  if (!current) throw notFound('The API key');
  // A new secret would be shown once and never work.
  if (keyExpired(current.expiresAt))
    throw new UserError(
      'BAD_REQUEST',
      `This key expired on ${current.expiresAt!.toISOString()}: create a new key instead of rotating it.`,
    );
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
      createdBy: rotatedBy,
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

/**
 * The key's organisation and scopes; `stopped` for a key whose creator no longer stands behind it; null
 * for an unknown, revoked, expired or rotated-out key.
 */
export async function authenticateApiKey(
  db: Db,
  key: string,
  now = new Date(),
): Promise<ApiCaller | { stopped: KeyStopped } | null> {
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
      creatorRole: memberships.role,
    })
    .from(apiKeys)
    .leftJoin(memberships, creatorMembership)
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
  const stopped = keyExpired(row.expiresAt, now) ?? keyStanding(row.createdBy, row.creatorRole, row.scopes);
  if (stopped) return { stopped };
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
