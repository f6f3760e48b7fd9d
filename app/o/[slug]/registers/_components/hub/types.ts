// The hub page's data as the API returns it.
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/trpc/root';

export type Hub = inferRouterOutputs<AppRouter>['hub']['get'];
export type HubSubscriber = Hub['subscribers'][number];
