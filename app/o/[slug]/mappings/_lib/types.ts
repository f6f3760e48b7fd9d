// The shapes the mappings pages read from the API, named once.
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/trpc/root';

export type MappingRow = inferRouterOutputs<AppRouter>['mappings']['get'];

export const DEFAULT_SAMPLE = JSON.stringify(
  {
    id: 42,
    name: 'Ada Lovelace',
    contact: { email: 'ADA@example.test', phone: '+44 20 7946 0000' },
    age: '36',
    tags: 'math,poetry',
    active: 'yes',
  },
  null,
  2,
);
