// What the conflict page gets from the server.
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/trpc/root';

export type ConflictPage = inferRouterOutputs<AppRouter>['conflicts']['get'];
export type DiffRow = ConflictPage['rows'][number];
export type Side = 'source' | 'target';
export type Picks = Record<string, Side>;

/**
 * The side a field takes unless the person picks: the side that changed it, else the target (as the
 * server); a key field is never picked (the register keeps its own id).
 */
export const defaultSide = (row: DiffRow): Side | null =>
  row.key ? null : row.conflicting ? null : row.changedIn === 'source' ? 'source' : 'target';
