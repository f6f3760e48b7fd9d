// The Overview page's data: every synchronisation's health, what needs attention, the latest runs and
// a new organisation's first steps.
import { getOverview } from '../../services/overview';
import { orgProcedure, router } from '../init';

export const overviewRouter = router({
  get: orgProcedure('syncs.read').query(({ ctx }) => getOverview(ctx.db, ctx.org.orgId)),
});
