// The shapes the synchronisation pages read from the API, named once.
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/trpc/root';

type Outputs = inferRouterOutputs<AppRouter>;
export type SyncRow = Outputs['synchronisations']['get'];
export type SyncListItem = Outputs['synchronisations']['list'][number];
export type RunRow = Outputs['runs']['get'];
export type RunListItem = Outputs['runs']['list'][number];
export type SourceItem = Outputs['sources']['list'][number];
export type RegisterItem = Outputs['registers']['list'][number];
export type MappingItem = Outputs['mappings']['list'][number];
