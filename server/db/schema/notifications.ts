// Notifications: what an organisation is told about (a run failed, deletions are held, conflicts were
// opened), who has read each one (the bell), the webhook endpoints that receive them, and each delivery
// to an endpoint with its attempts — a durable queue the runners retry from, so a restart loses nothing.
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { primaryId, timestamp, timestamps } from './columns';
import { orgIdColumn } from './organisations';
import { synchronisations } from './synchronisations';
import { users } from './users';

export const NOTIFICATION_EVENTS = [
  'run.failed',
  'run.recovered',
  'deletions.held',
  'conflict.opened',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];

export const notifications = sqliteTable(
  'notifications',
  {
    id: primaryId('notification'),
    orgId: orgIdColumn(),
    event: text('event', { enum: NOTIFICATION_EVENTS }).notNull(),
    // One notification per event and cause (`run.failed:run_…`): a finish step retried emits nothing new.
    dedupeKey: text('dedupe_key').notNull(),
    synchronisationId: text('synchronisation_id').references(() => synchronisations.id, {
      onDelete: 'cascade',
    }),
    // No foreign keys: retention removes runs, and the notification still says what happened.
    runId: text('run_id'),
    conflictId: text('conflict_id'),
    title: text('title').notNull(),
    message: text('message').notNull().default(''),
    // Where a person looks next, inside the organisation (`/runs/run_…`, appended to `/o/<slug>`).
    path: text('path').notNull(),
    // The webhook body's `data`, as sent.
    data: text('data', { mode: 'json' }).$type<Record<string, unknown>>().notNull(),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('notifications_org_dedupe').on(t.orgId, t.dedupeKey),
    index('notifications_org_created').on(t.orgId, t.createdAt),
    index('notifications_sync').on(t.synchronisationId),
  ],
);

// The bell: a row per person and notification they have read.
export const notificationReads = sqliteTable(
  'notification_reads',
  {
    notificationId: text('notification_id')
      .notNull()
      .references(() => notifications.id, { onDelete: 'cascade' }),
    userId: text('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    orgId: orgIdColumn(),
    readAt: timestamp('read_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.notificationId, t.userId] }),
    index('notification_reads_user').on(t.userId, t.orgId),
    index('notification_reads_org').on(t.orgId),
  ],
);

export const webhookEndpoints = sqliteTable(
  'webhook_endpoints',
  {
    id: primaryId('webhookEndpoint'),
    orgId: orgIdColumn(),
    url: text('url').notNull(),
    description: text('description').notNull().default(''),
    events: text('events', { mode: 'json' }).$type<NotificationEvent[]>().notNull(),
    // The signing secret, AES-256-GCM encrypted like source credentials; shown once when created.
    secretCipher: text('secret_cipher').notNull(),
    enabled: integer('enabled', { mode: 'boolean' }).notNull().default(true),
    createdBy: text('created_by').references(() => users.id, { onDelete: 'set null' }),
    ...timestamps,
  },
  (t) => [index('webhook_endpoints_org').on(t.orgId), index('webhook_endpoints_created_by').on(t.createdBy)],
);

/** pending: waiting for its next attempt; delivered: a 2xx came back; failed: attempts used up. */
export const DELIVERY_STATUSES = ['pending', 'delivered', 'failed'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export const webhookDeliveries = sqliteTable(
  'webhook_deliveries',
  {
    id: primaryId('webhookDelivery'),
    orgId: orgIdColumn(),
    endpointId: text('endpoint_id')
      .notNull()
      .references(() => webhookEndpoints.id, { onDelete: 'cascade' }),
    notificationId: text('notification_id')
      .notNull()
      .references(() => notifications.id, { onDelete: 'cascade' }),
    event: text('event', { enum: NOTIFICATION_EVENTS }).notNull(),
    status: text('status', { enum: DELIVERY_STATUSES }).notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at'),
    // Taken by a deliverer until then (another process leaves it alone; a dead one's lease runs out).
    leaseUntil: timestamp('lease_until'),
    lastAttemptAt: timestamp('last_attempt_at'),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    deliveredAt: timestamp('delivered_at'),
    ...timestamps,
  },
  (t) => [
    index('webhook_deliveries_due').on(t.status, t.nextAttemptAt),
    index('webhook_deliveries_org_created').on(t.orgId, t.createdAt),
    index('webhook_deliveries_endpoint').on(t.endpointId),
    index('webhook_deliveries_notification').on(t.notificationId),
  ],
);
