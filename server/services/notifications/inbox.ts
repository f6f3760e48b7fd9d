// The bell: an organisation's notifications for one member, with what they have not read yet.
// Read state is per person (a row per notification read), so one member's reading leaves the others'
// bell as it was. What was told before a person joined is theirs to read back, not news: it counts as
// read (a newcomer's bell started with up to 90 days of the organisation's history unread).
import { and, count, desc, eq, gte, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { memberships, notificationReads, notifications } from '../../db/schema';

const readBy = (userId: string) =>
  and(eq(notificationReads.notificationId, notifications.id), eq(notificationReads.userId, userId));

/** Since when the person is a member: what came before is read. */
const joined = (orgId: string, userId: string) =>
  sql`(SELECT ${memberships.createdAt} FROM ${memberships}
    WHERE ${memberships.orgId} = ${orgId} AND ${memberships.userId} = ${userId})`;

/** Not read yet: no read of theirs, and told since they joined. */
const unread = (orgId: string, userId: string) =>
  and(isNull(notificationReads.readAt), gte(notifications.createdAt, joined(orgId, userId)));

export async function listNotifications(
  db: Db,
  orgId: string,
  userId: string,
  options: { unreadOnly: boolean; limit: number },
) {
  const rows = await db
    .select({
      id: notifications.id,
      event: notifications.event,
      title: notifications.title,
      message: notifications.message,
      path: notifications.path,
      synchronisationId: notifications.synchronisationId,
      runId: notifications.runId,
      conflictId: notifications.conflictId,
      createdAt: notifications.createdAt,
      readAt: notificationReads.readAt,
      news: sql<number>`${notifications.createdAt} >= ${joined(orgId, userId)}`.mapWith(Number),
    })
    .from(notifications)
    .leftJoin(notificationReads, readBy(userId))
    .where(and(eq(notifications.orgId, orgId), options.unreadOnly ? unread(orgId, userId) : undefined))
    .orderBy(desc(notifications.createdAt), desc(notifications.id))
    .limit(options.limit);
  return rows.map(({ news, ...r }) => ({ ...r, read: r.readAt !== null || news !== 1 }));
}

export async function countUnread(db: Db, orgId: string, userId: string): Promise<number> {
  const [row] = await db
    .select({ n: count() })
    .from(notifications)
    .leftJoin(notificationReads, readBy(userId))
    .where(and(eq(notifications.orgId, orgId), unread(orgId, userId)));
  return row?.n ?? 0;
}

/** Marks the given notifications read (those of this organisation only), or all of them. */
export async function markRead(
  db: Db,
  orgId: string,
  userId: string,
  ids: readonly string[] | 'all',
): Promise<{ marked: number }> {
  const mine = await db
    .select({ id: notifications.id })
    .from(notifications)
    .leftJoin(notificationReads, readBy(userId))
    .where(
      and(
        eq(notifications.orgId, orgId),
        isNull(notificationReads.readAt),
        ids === 'all' ? undefined : inArray(notifications.id, [...ids]),
      ),
    );
  if (mine.length === 0) return { marked: 0 };
  const readAt = new Date();
  for (let i = 0; i < mine.length; i += 500) {
    await db
      .insert(notificationReads)
      .values(mine.slice(i, i + 500).map((n) => ({ notificationId: n.id, userId, orgId, readAt })))
      .onConflictDoNothing();
  }
  return { marked: mine.length };
}
