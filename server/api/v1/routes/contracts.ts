// Contracts: the list with the UI's filters (keyset cursor, `Link` header), one with its record history,
// and re-syncing one object (the same forced run of one that the contract page's button requests).
import { z } from 'zod';
import { dispatchRun } from '@/server/runner/dispatch';
import { getContract, requestContractResync } from '@/server/services/contracts';
import { listContracts } from '@/server/services/contracts-list';
import { contractHistory } from '@/server/services/record-history';
import { CONTRACT_ACTIONS, CONTRACT_STATUSES } from '@/server/sync/core/contracts';
import { route, type RouteDef } from '../define';
import * as R from '../resources';
import * as C from '../resources/contracts';
import { author, id, queryCursorProblem } from './shared';

export const contractRoutes: RouteDef[] = [
  route({
    method: 'GET',
    path: '/contracts',
    operationId: 'listContracts',
    tag: 'Contracts',
    summary: 'List contracts, one per synchronised object',
    description:
      'One synchronisation’s contracts (`syncId`) in the order Concord first recorded them, or the ' +
      'organisation’s, oldest synchronisation first. Filters as in the app: `status`, `lastAction`, and ' +
      '`search` (the start of the origin or target id, case-sensitive; its matches in origin id order). ' +
      'Pages follow an opaque cursor: `nextCursor` (also the `Link` ' +
      'header), `previousCursor` and `lastCursor`; each page costs the same however deep it is.',
    scope: 'read',
    query: z.object({
      syncId: z.string().max(100).optional(),
      status: z.enum(CONTRACT_STATUSES).optional(),
      lastAction: z.enum(CONTRACT_ACTIONS).optional(),
      search: z.string().max(200).optional(),
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.string().max(2000).optional().describe('From the previous answer (or its Link header).'),
    }),
    response: C.ContractPage,
    paginated: true,
    handler: async ({ db, caller, query }) => {
      const { limit, cursor, ...filters } = query;
      const page = await listContracts(db, caller.orgId, { ...filters, pageSize: limit, cursor }).catch(
        queryCursorProblem,
      );
      return {
        body: {
          items: page.rows.map(C.toContract),
          total: page.total,
          totalExact: page.totalExact,
          nextCursor: page.next,
          previousCursor: page.previous,
          lastCursor: page.last,
        },
        next: page.next ? { cursor: page.next, limit: String(limit) } : null,
      };
    },
  }),
  route({
    method: 'GET',
    path: '/contracts/{contractId}',
    operationId: 'getContract',
    tag: 'Contracts',
    summary: 'Get a contract with its record history',
    description:
      'The source object as last seen, and the versions written, newest first, each with its changes.',
    scope: 'read',
    params: z.object({ contractId: id('contract') }),
    response: C.ContractDetail,
    handler: async ({ db, caller, params }) => {
      const contract = await getContract(db, caller.orgId, params.contractId);
      const history = await contractHistory(db, caller.orgId, contract.id);
      return {
        body: {
          ...C.toContract(contract),
          sourceObject: contract.originData ?? null,
          versions: history.versions.map(C.toVersion),
        },
      };
    },
  }),
  route({
    method: 'POST',
    path: '/contracts/{contractId}/resync',
    operationId: 'resyncContract',
    tag: 'Contracts',
    summary: 'Re-sync one object: a forced run of just this object',
    description:
      'From the source object as last seen (a sub-object with the object it was found in), written even ' +
      'where nothing changed. The synchronisation must be enabled.',
    scope: 'run',
    params: z.object({ contractId: id('contract') }),
    response: z.object({ run: R.Run }).meta({ id: 'ContractResync' }),
    status: 202,
    handler: async (ctx) => {
      const { run, object } = await requestContractResync(
        ctx.db,
        ctx.caller.orgId,
        ctx.params.contractId,
        author(ctx),
      );
      await dispatchRun(ctx.db, { ...run, object });
      return { body: { run: R.toRun(run) } };
    },
  }),
];
