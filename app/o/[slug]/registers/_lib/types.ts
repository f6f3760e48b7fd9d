// The shapes the registers pages read from the API, named once.
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/trpc/root';

type Outputs = inferRouterOutputs<AppRouter>['registers'];
export type RegisterItem = Outputs['list'][number];
export type SchemaRow = Outputs['schema'];
export type ObjectRow = Outputs['object'];
