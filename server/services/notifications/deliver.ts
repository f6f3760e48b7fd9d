// Sends the webhook deliveries that are due: one signed POST each, through the REST client (so the URL
// guard checks the address again at every connection). A 2xx delivers it; anything else — another status,
// a network error, a timeout, a refused address — is an attempt, retried later with exponential backoff
// until the attempts are used up. The queue is the `webhook_deliveries` table, so the embedded runner
// (webhook-deliverer.ts) and the scaled schedule tick pick up what is due after any restart; a lease
// keeps two processes from sending the same delivery at once.
import { and, asc, eq, isNull, lte, or } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { organisations, notifications, webhookDeliveries, webhookEndpoints } from '../../db/schema';
import { env } from '../../env';
import { getEncryptionKey } from '../../security/keys';
import { open } from '../../security/secret-box';
import { createHttpClient, type HttpClientOptions, type UrlPolicy } from '../../sync/http';
import { SIGNATURE_HEADER, signatureHeader } from './signature';

/** Attempts in total, the first included: with the default backoff, retries over about four hours. */
export const MAX_ATTEMPTS = 10;
const LEASE_MS = 60_000;

/** Waits 30 s after the first failure, then doubles, up to 6 hours. */
export function defaultBackoffMs(failedAttempts: number): number {
  return Math.min(30_000 * 2 ** (failedAttempts - 1), 6 * 60 * 60_000);
}

export interface DeliverOptions {
  urlPolicy: UrlPolicy;
  now?: () => Date;
  backoffMs?: (failedAttempts: number) => number;
  /** Test seams of the REST client (a resolver, timeouts). */
  http?: Partial<HttpClientOptions>;
  limit?: number;
}

export interface DeliverResult {
  attempted: number;
  delivered: number;
  /** When the next pending delivery is due (ms), or null when none waits. */
  nextDueAt: number | null;
}

export async function deliverDue(db: Db, options: DeliverOptions): Promise<DeliverResult> {
  const now = options.now ?? (() => new Date());
  const at = now();
  const due = await db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.status, 'pending'),
        lte(webhookDeliveries.nextAttemptAt, at),
        or(isNull(webhookDeliveries.leaseUntil), lte(webhookDeliveries.leaseUntil, at)),
      ),
    )
    .orderBy(asc(webhookDeliveries.nextAttemptAt))
    .limit(options.limit ?? 20);
  let attempted = 0;
  let delivered = 0;
  for (const { id } of due) {
    const outcome = await deliverOne(db, id, options, now);
    if (outcome === 'skipped') continue;
    attempted++;
    if (outcome === 'delivered') delivered++;
  }
  const [next] = await db
    .select({ at: webhookDeliveries.nextAttemptAt })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.status, 'pending'))
    .orderBy(asc(webhookDeliveries.nextAttemptAt))
    .limit(1);
  return { attempted, delivered, nextDueAt: next?.at ? next.at.getTime() : null };
}

async function deliverOne(
  db: Db,
  id: string,
  options: DeliverOptions,
  now: () => Date,
): Promise<'delivered' | 'retry' | 'failed' | 'skipped'> {
  const at = now();
  // The lease: only the process whose update matched sends it.
  const [claimed] = await db
    .update(webhookDeliveries)
    .set({ leaseUntil: new Date(at.getTime() + LEASE_MS) })
    .where(
      and(
        eq(webhookDeliveries.id, id),
        eq(webhookDeliveries.status, 'pending'),
        or(isNull(webhookDeliveries.leaseUntil), lte(webhookDeliveries.leaseUntil, at)),
      ),
    )
    .returning();
  if (!claimed) return 'skipped';
  const [row] = await db
    .select({ endpoint: webhookEndpoints, notification: notifications, slug: organisations.slug })
    .from(webhookEndpoints)
    .innerJoin(notifications, eq(notifications.id, claimed.notificationId))
    .innerJoin(organisations, eq(organisations.id, notifications.orgId))
    .where(and(eq(webhookEndpoints.id, claimed.endpointId), eq(webhookEndpoints.orgId, claimed.orgId)));
  if (!row) return 'skipped';
  const attempts = claimed.attempts + 1;
  if (!row.endpoint.enabled) {
    await record(db, id, {
      status: 'failed',
      attempts: claimed.attempts,
      lastError: 'The endpoint is disabled.',
    });
    return 'failed';
  }

  const body = JSON.stringify(payload(claimed.id, row.notification, row.slug));
  let secret: string;
  try {
    secret = open(row.endpoint.secretCipher, getEncryptionKey());
  } catch {
    // Not this pass's end: the deliveries behind this one still go. No attempt can sign it.
    await record(db, id, {
      status: 'failed',
      attempts: claimed.attempts,
      lastError:
        'The endpoint’s signing secret cannot be read (was Concord’s secret key changed?): give the ' +
        'endpoint a new secret.',
      nextAttemptAt: null,
    });
    return 'failed';
  }
  const client = createHttpClient({
    ...options.http,
    urlPolicy: options.urlPolicy,
    // One attempt per delivery attempt: the backoff between them is this table's, not the client's.
    retry: { maxAttempts: 1 },
    timeoutMs: options.http?.timeoutMs ?? 10_000,
    deadlineMs: options.http?.deadlineMs ?? 15_000,
    maxResponseBytes: 1 << 20,
  });
  let statusCode: number | null = null;
  let error: string | null = null;
  try {
    const result = await client.send({
      url: row.endpoint.url,
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'Concord-Webhooks',
        'concord-event': row.notification.event,
        'concord-delivery': claimed.id,
        [SIGNATURE_HEADER.toLowerCase()]: signatureHeader(secret, body, Math.floor(at.getTime() / 1000)),
      },
      body,
      allowEmptyBody: true,
    });
    statusCode = result.ok ? result.status : (result.status ?? null);
    // A 2xx whose body is not what the client expected (plain text, HTML) is still a delivery.
    if (!result.ok && !(statusCode !== null && statusCode >= 200 && statusCode <= 299)) error = result.reason;
  } catch (thrown) {
    error = thrown instanceof Error ? thrown.message : String(thrown);
  } finally {
    await client.close();
  }

  const done = new Date(now().getTime());
  if (error === null) {
    await record(db, id, {
      status: 'delivered',
      attempts,
      lastAttemptAt: done,
      lastStatusCode: statusCode,
      lastError: null,
      deliveredAt: done,
      nextAttemptAt: null,
    });
    return 'delivered';
  }
  const last = attempts >= MAX_ATTEMPTS;
  const backoff = options.backoffMs ?? defaultBackoffMs;
  await record(db, id, {
    status: last ? 'failed' : 'pending',
    attempts,
    lastAttemptAt: done,
    lastStatusCode: statusCode,
    lastError: error.slice(0, 500),
    nextAttemptAt: last ? null : new Date(done.getTime() + backoff(attempts)),
  });
  return last ? 'failed' : 'retry';
}

function record(db: Db, id: string, values: Partial<typeof webhookDeliveries.$inferInsert>) {
  return db
    .update(webhookDeliveries)
    .set({ ...values, leaseUntil: null })
    .where(eq(webhookDeliveries.id, id));
}

type NotificationRow = typeof notifications.$inferSelect;

/** The JSON body: the event, where to look (absolute when NEXTAUTH_URL says where Concord is), and its data. */
export function payload(deliveryId: string, n: NotificationRow, slug: string) {
  const path = `/o/${slug}${n.path}`;
  const base = env().NEXTAUTH_URL?.replace(/\/$/, '');
  return {
    id: n.id,
    delivery: deliveryId,
    event: n.event,
    createdAt: n.createdAt.toISOString(),
    organisation: { id: n.orgId, slug },
    title: n.title,
    message: n.message,
    url: base ? `${base}${path}` : path,
    data: n.data,
  };
}
