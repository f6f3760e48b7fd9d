// Webhook endpoints of an organisation (owners and admins): the URL is checked with the URL guard when
// saved (and again at every connection), the signing secret is generated here, stored encrypted like
// source credentials, and returned once. The delivery log lists each delivery with its attempts.
import { and, desc, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client';
import {
  memberships,
  NOTIFICATION_EVENTS,
  notifications,
  users,
  webhookDeliveries,
  webhookEndpoints,
} from '../../db/schema';
import { getEncryptionKey } from '../../security/keys';
import { seal } from '../../security/secret-box';
import { checkUrl, type UrlPolicy } from '../../sync/http';
import { UserError, notFound } from '../errors';
import { newWebhookSecret } from './signature';

export const endpointInput = z.object({
  url: z.string().trim().min(1).max(2000),
  description: z.string().trim().max(200).default(''),
  events: z
    .array(z.enum(NOTIFICATION_EVENTS))
    .min(1)
    .transform((events) => [...new Set(events)]),
});
export type EndpointInput = z.input<typeof endpointInput>;

const publicColumns = {
  id: webhookEndpoints.id,
  url: webhookEndpoints.url,
  description: webhookEndpoints.description,
  events: webhookEndpoints.events,
  enabled: webhookEndpoints.enabled,
  createdAt: webhookEndpoints.createdAt,
};

export async function createEndpoint(
  db: Db,
  orgId: string,
  userId: string,
  input: z.output<typeof endpointInput>,
  policy: UrlPolicy,
) {
  const checked = await checkUrl(input.url, policy);
  if (!checked.ok)
    throw new UserError('BAD_REQUEST', `This URL cannot receive notifications: ${checked.reason}`, 'url');
  const secret = newWebhookSecret();
  const [row] = await db
    .insert(webhookEndpoints)
    .values({
      orgId,
      url: checked.url.href,
      description: input.description,
      events: input.events,
      secretCipher: seal(secret, getEncryptionKey()),
      createdBy: userId,
    })
    .returning(publicColumns);
  // The only time the secret leaves the server.
  return { ...row!, secret };
}

/**
 * The organisation's endpoints, each with who added it and whether they still are a member. An endpoint
 * is the organisation's alerting and keeps delivering when its creator leaves (switching it off would
 * silence on-call for everyone); but one a former member added may point at their own server, so the
 * list says so and an owner can check where it sends.
 */
export async function listEndpoints(db: Db, orgId: string) {
  const rows = await db
    .select({ ...publicColumns, creatorName: users.name, creatorMembership: memberships.id })
    .from(webhookEndpoints)
    .leftJoin(users, eq(users.id, webhookEndpoints.createdBy))
    .leftJoin(
      memberships,
      and(eq(memberships.orgId, orgId), eq(memberships.userId, webhookEndpoints.createdBy)),
    )
    .where(eq(webhookEndpoints.orgId, orgId))
    .orderBy(desc(webhookEndpoints.createdAt));
  return rows.map(({ creatorName, creatorMembership, ...e }) => ({
    ...e,
    // null: added by an account since deleted.
    addedBy: creatorName === null ? null : { name: creatorName, member: creatorMembership !== null },
  }));
}

export async function setEndpointEnabled(db: Db, orgId: string, endpointId: string, enabled: boolean) {
  const [row] = await db
    .update(webhookEndpoints)
    .set({ enabled })
    .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.id, endpointId)))
    .returning(publicColumns);
  if (!row) throw notFound('The webhook endpoint');
  return row;
}

/** Removes the endpoint and its delivery log. */
export async function deleteEndpoint(db: Db, orgId: string, endpointId: string) {
  const [row] = await db
    .delete(webhookEndpoints)
    .where(and(eq(webhookEndpoints.orgId, orgId), eq(webhookEndpoints.id, endpointId)))
    .returning({ id: webhookEndpoints.id });
  if (!row) throw notFound('The webhook endpoint');
}

/** The delivery log, newest first: status, attempts, last answer and when the next attempt is due. */
export function listDeliveries(db: Db, orgId: string, options: { endpointId?: string; limit: number }) {
  return db
    .select({
      id: webhookDeliveries.id,
      endpointId: webhookDeliveries.endpointId,
      url: webhookEndpoints.url,
      event: webhookDeliveries.event,
      title: notifications.title,
      status: webhookDeliveries.status,
      attempts: webhookDeliveries.attempts,
      lastStatusCode: webhookDeliveries.lastStatusCode,
      lastError: webhookDeliveries.lastError,
      lastAttemptAt: webhookDeliveries.lastAttemptAt,
      nextAttemptAt: webhookDeliveries.nextAttemptAt,
      deliveredAt: webhookDeliveries.deliveredAt,
      createdAt: webhookDeliveries.createdAt,
    })
    .from(webhookDeliveries)
    .innerJoin(webhookEndpoints, eq(webhookEndpoints.id, webhookDeliveries.endpointId))
    .innerJoin(notifications, eq(notifications.id, webhookDeliveries.notificationId))
    .where(
      and(
        eq(webhookDeliveries.orgId, orgId),
        options.endpointId ? eq(webhookDeliveries.endpointId, options.endpointId) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(options.limit);
}
