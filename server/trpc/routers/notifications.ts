// Notifications: the bell (every member reads and marks their own), and the webhook endpoints that
// receive them with their delivery log (owners and admins).
import { z } from 'zod';
import { urlPolicy } from '../../runner/url-policy';
import {
  createEndpoint,
  deleteEndpoint,
  endpointInput,
  listDeliveries,
  listEndpoints,
  setEndpointEnabled,
} from '../../services/notifications/endpoints';
import { countUnread, listNotifications, markRead } from '../../services/notifications/inbox';
import { orgProcedure, router } from '../init';

const manage = orgProcedure('notifications.manage');

export const notificationsRouter = router({
  list: orgProcedure('org.read')
    .input(
      z.object({
        unreadOnly: z.boolean().default(false),
        limit: z.int().min(1).max(100).default(20),
      }),
    )
    .query(({ ctx, input }) => listNotifications(ctx.db, ctx.org.orgId, ctx.user.id, input)),

  unreadCount: orgProcedure('org.read').query(({ ctx }) => countUnread(ctx.db, ctx.org.orgId, ctx.user.id)),

  markRead: orgProcedure('org.read')
    .input(
      z.object({ ids: z.array(z.string().min(1)).min(1).max(200).optional(), all: z.boolean().optional() }),
    )
    .mutation(({ ctx, input }) =>
      markRead(ctx.db, ctx.org.orgId, ctx.user.id, input.all ? 'all' : (input.ids ?? [])),
    ),

  endpoints: manage.query(({ ctx }) => listEndpoints(ctx.db, ctx.org.orgId)),

  createEndpoint: manage
    .input(endpointInput)
    .mutation(({ ctx, input }) => createEndpoint(ctx.db, ctx.org.orgId, ctx.user.id, input, urlPolicy())),

  setEndpointEnabled: manage
    .input(z.object({ endpointId: z.string().min(1), enabled: z.boolean() }))
    .mutation(({ ctx, input }) => setEndpointEnabled(ctx.db, ctx.org.orgId, input.endpointId, input.enabled)),

  deleteEndpoint: manage
    .input(z.object({ endpointId: z.string().min(1) }))
    .mutation(({ ctx, input }) => deleteEndpoint(ctx.db, ctx.org.orgId, input.endpointId)),

  deliveries: manage
    .input(z.object({ endpointId: z.string().min(1).optional(), limit: z.int().min(1).max(200).default(50) }))
    .query(({ ctx, input }) => listDeliveries(ctx.db, ctx.org.orgId, input)),
});
