// People who sign in, the external identities (OIDC) linked to them, their sessions, and sign-in
// throttling state.
import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { primaryId, timestamp, timestamps } from './columns';

export const users = sqliteTable('users', {
  id: primaryId('user'),
  email: text('email').notNull().unique(),
  name: text('name').notNull(),
  // Null for users who only ever sign in through OIDC.
  passwordHash: text('password_hash'),
  ...timestamps,
});

export const userIdentities = sqliteTable(
  'user_identities',
  {
    id: primaryId('identity'),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    provider: text('provider').notNull(),
    subject: text('subject').notNull(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('user_identities_provider_subject').on(t.provider, t.subject),
    index('user_identities_user').on(t.userId),
  ],
);

// One row per signed-in browser. The session cookie (a JWT) names its row; a cookie whose row is gone
// (signed out, ended by an SSO link, expired) no longer signs anyone in, even if it was copied.
export const userSessions = sqliteTable(
  'user_sessions',
  {
    id: primaryId('session'),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at')
      .notNull()
      .$defaultFn(() => new Date()),
    expiresAt: timestamp('expires_at').notNull(),
  },
  (t) => [index('user_sessions_user').on(t.userId), index('user_sessions_expires').on(t.expiresAt)],
);

// One row per sign-in key (the lower-cased email); failures lock the key for a growing time.
export const signInThrottle = sqliteTable('sign_in_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  lastFailureAt: timestamp('last_failure_at').notNull(),
  lockedUntil: timestamp('locked_until'),
});
