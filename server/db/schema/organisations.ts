// Organisations (the tenant), their members with a role each, invitation links and API keys.
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { primaryId, timestamp, timestamps } from './columns';
import { users } from './users';

export const ROLES = ['owner', 'admin', 'editor', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export const organisations = sqliteTable('organisations', {
  id: primaryId('organisation'),
  name: text('name').notNull(),
  slug: text('slug').notNull().unique(),
  ...timestamps,
});

/** The tenant column every organisation-owned table carries; deleting an organisation removes its data. */
export const orgIdColumn = () =>
  text('org_id')
    .notNull()
    .references(() => organisations.id, { onDelete: 'cascade' });

export const memberships = sqliteTable(
  'memberships',
  {
    id: primaryId('membership'),
    orgId: orgIdColumn(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ROLES }).notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex('memberships_org_user').on(t.orgId, t.userId), index('memberships_user').on(t.userId)],
);

export const invitations = sqliteTable(
  'invitations',
  {
    id: primaryId('invitation'),
    orgId: orgIdColumn(),
    role: text('role', { enum: ROLES }).notNull(),
    // Only a hash of the link's token is kept, so a leaked database does not leak working links.
    tokenHash: text('token_hash').notNull().unique(),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    expiresAt: timestamp('expires_at').notNull(),
    acceptedAt: timestamp('accepted_at'),
    acceptedBy: text('accepted_by').references(() => users.id, { onDelete: 'set null' }),
    revokedAt: timestamp('revoked_at'),
    ...timestamps,
  },
  (t) => [
    index('invitations_org').on(t.orgId),
    index('invitations_created_by').on(t.createdBy),
    index('invitations_accepted_by').on(t.acceptedBy),
  ],
);

/** What a key may do: read anything, write data and configuration, start runs, manage keys. */
export const API_SCOPES = ['read', 'write', 'run', 'admin'] as const;
export type ApiScope = (typeof API_SCOPES)[number];

export const apiKeys = sqliteTable(
  'api_keys',
  {
    id: primaryId('apiKey'),
    orgId: orgIdColumn(),
    name: text('name').notNull(),
    // The first characters of the key, shown in lists so people can tell keys apart.
    prefix: text('prefix').notNull(),
    keyHash: text('key_hash').notNull().unique(),
    // Keys made before scopes existed could only start runs: they keep exactly that.
    scopes: text('scopes', { mode: 'json' }).$type<ApiScope[]>().notNull().default(['run']),
    expiresAt: timestamp('expires_at'),
    // Rotation: the secret it replaced keeps working until `previousValidUntil` (a grace period).
    previousKeyHash: text('previous_key_hash').unique(),
    previousValidUntil: timestamp('previous_valid_until'),
    rotatedAt: timestamp('rotated_at'),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    lastUsedAt: timestamp('last_used_at'),
    revokedAt: timestamp('revoked_at'),
    ...timestamps,
  },
  (t) => [index('api_keys_org').on(t.orgId), index('api_keys_created_by').on(t.createdBy)],
);

/**
 * Answers to POSTs sent with an `Idempotency-Key`: the same key, route and body get the stored answer
 * again (a retried run request returns the same run); the same key with another body is refused.
 */
export const apiIdempotency = sqliteTable(
  'api_idempotency',
  {
    apiKeyId: text('api_key_id')
      .notNull()
      .references(() => apiKeys.id, { onDelete: 'cascade' }),
    idempotencyKey: text('idempotency_key').notNull(),
    route: text('route').notNull(),
    bodyHash: text('body_hash').notNull(),
    status: integer('status').notNull(),
    // null while the first request is still being answered.
    response: text('response'),
    createdAt: timestamp('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.idempotencyKey] })],
);

/** Requests per key per fixed window, in the database so every app instance counts the same. */
export const apiRateLimits = sqliteTable(
  'api_rate_limits',
  {
    apiKeyId: text('api_key_id')
      .notNull()
      .references(() => apiKeys.id, { onDelete: 'cascade' }),
    windowStart: integer('window_start').notNull(),
    count: integer('count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.apiKeyId, t.windowStart] })],
);
