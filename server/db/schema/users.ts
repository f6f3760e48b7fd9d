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
// (signed out, ended by an SSO link or from the account page, expired) no longer signs anyone in, even
// if it was copied. What the browser said it was and where it signed in from are kept so that its
// person can tell their sessions apart on the account page and end the ones they do not recognise.
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
    /** The last request the session signed in, to within SESSION_TOUCH_MS (null: none since sign-in). */
    lastSeenAt: timestamp('last_seen_at'),
    /** The browser's User-Agent at sign-in, cut to 300 characters. */
    userAgent: text('user_agent'),
    /** The client address at sign-in as the throttle counts it (server/auth/client-address.ts). */
    clientAddress: text('client_address'),
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
