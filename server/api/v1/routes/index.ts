// Every route of /api/v1, in one list (one file per area beside this one): the dispatcher (handle.ts), the OpenAPI document (openapi.ts)
// and the tenancy test (test/integration/api-v1/tenancy.test.ts) are all derived from it. Handlers are
// thin: they call the same services as the tRPC routers, with the key's organisation as the tenant.
import { z } from 'zod';
import { route, type RouteDef } from '../define';
import { batchRoutes } from './batch';
import { conflictRoutes } from './conflicts';
import { contractRoutes } from './contracts';
import { heldDeletionRoutes } from './held-deletions';
import { connectionRoutes } from './connections';
import { keyRoutes } from './keys';
import { mappingRoutes } from './mappings';
import { objectRoutes } from './objects';
import { registerRoutes } from './registers';
import { runRoutes } from './runs';
import { sourceRoutes } from './sources';
import { synchronisationRoutes } from './synchronisations';

/** The document itself; the one route that answers without a key. */
export const openApiRoute = route({
  method: 'GET',
  path: '/openapi.json',
  operationId: 'getOpenApi',
  tag: 'Meta',
  summary: 'This API’s OpenAPI 3.1 document',
  scope: 'read',
  response: z.record(z.string(), z.unknown()),
  handler: async () => {
    const { openApiDocument } = await import('../openapi');
    return { body: openApiDocument() };
  },
});

export const ROUTES: RouteDef[] = [
  ...keyRoutes,
  ...registerRoutes,
  ...objectRoutes,
  ...batchRoutes,
  ...sourceRoutes,
  ...mappingRoutes,
  ...synchronisationRoutes,
  ...connectionRoutes,
  ...runRoutes,
  ...contractRoutes,
  ...heldDeletionRoutes,
  ...conflictRoutes,
  openApiRoute,
];
