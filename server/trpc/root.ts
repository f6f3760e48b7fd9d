// The app router: one router per entity. `AppRouter` types the client; `createCaller` serves
// server components and tests.
import { createCallerFactory, router } from './init';
import { accountRouter } from './routers/account';
import { apiKeysRouter } from './routers/api-keys';
import { conflictsRouter } from './routers/conflicts';
import { connectionsRouter } from './routers/connections';
import { contractsRouter } from './routers/contracts';
import { historyRouter } from './routers/history';
import { hubRouter } from './routers/hub';
import { mappingsRouter } from './routers/mappings';
import { notificationsRouter } from './routers/notifications';
import { overviewRouter } from './routers/overview';
import { membersRouter } from './routers/members';
import { organisationRouter } from './routers/organisation';
import { registersRouter } from './routers/registers';
import { runsRouter } from './routers/runs';
import { sourcesRouter } from './routers/sources';
import { synchronisationsRouter } from './routers/synchronisations';

export const appRouter = router({
  account: accountRouter,
  organisation: organisationRouter,
  members: membersRouter,
  sources: sourcesRouter,
  registers: registersRouter,
  mappings: mappingsRouter,
  synchronisations: synchronisationsRouter,
  connections: connectionsRouter,
  runs: runsRouter,
  contracts: contractsRouter,
  hub: hubRouter,
  conflicts: conflictsRouter,
  history: historyRouter,
  apiKeys: apiKeysRouter,
  notifications: notificationsRouter,
  overview: overviewRouter,
});

export type AppRouter = typeof appRouter;

export const createCaller = createCallerFactory(appRouter);
