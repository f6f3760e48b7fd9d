// The Overview's data as the client receives it (dates stay dates through superjson).
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/trpc/root';

export type Overview = inferRouterOutputs<AppRouter>['overview']['get'];
export type AttentionItem = Overview['attention'][number];
export type SyncOverview = Overview['synchronisations'][number];
export type RecentRun = Overview['recentRuns'][number];
export type FirstStep = Overview['firstSteps'][number];
