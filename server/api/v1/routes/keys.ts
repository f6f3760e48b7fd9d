// The key itself.
import { route, type RouteDef } from '../define';
import * as R from '../resources';

export const keyRoutes: RouteDef[] = [
  route({
    method: 'GET',
    path: '/key',
    operationId: 'getCurrentKey',
    tag: 'Keys',
    summary: 'The key you are calling with: its organisation and scopes',
    scope: 'read',
    response: R.ApiKeyInfo,
    handler: ({ caller }) =>
      Promise.resolve({ body: { id: caller.keyId, organisationId: caller.orgId, scopes: caller.scopes } }),
  }),
];
