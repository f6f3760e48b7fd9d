// What the route lists share: ids, names, paging, who a change made with a key is recorded as, and the
// If-Match check.
import { z } from 'zod';
import { UserError } from '@/server/services/errors';
import { ApiProblem } from '../problem';

export const id = (what: string) => z.string().min(1).max(100).describe(`The ${what}'s id`);
export const name = z.string().trim().min(1).max(100);
export const description = z.string().max(2000).optional();
export const objectData = z
  .record(z.string(), z.unknown(), { error: 'The object must be a JSON object.' })
  .meta({ id: 'ObjectData', description: 'The object itself, checked against its schema.' });
export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().optional().describe('From the previous answer (or its Link header).'),
});

/**
 * A list service's refusal of its page link (a UserError at `cursor`) as the problem of the query's
 * `cursor`: the services name no channel, and toProblem would put it under the body a GET has not.
 */
export function queryCursorProblem(error: unknown): never {
  if (error instanceof UserError && error.field === 'cursor')
    throw new ApiProblem(400, error.message, [
      { field: 'query.cursor', pointer: '/cursor', detail: 'Pass back a cursor of a previous answer.' },
    ]);
  throw error;
}

/** Who a change made with a key is recorded as: the person who created the key. */
export function author(ctx: { caller: { createdBy: string | null } }): string {
  if (!ctx.caller.createdBy)
    throw new UserError(
      'FORBIDDEN',
      'The person who created this key has left: create a new key to make changes.',
    );
  return ctx.caller.createdBy;
}

/**
 * If-Match against the current version: a mismatch is 412, never a silent overwrite. `what` names
 * a resource whose ETag is not a version people count (a source's or mapping's last change).
 */
export function checkVersion(current: number, ifMatch: number | undefined, what?: string) {
  if (ifMatch !== undefined && ifMatch !== current)
    throw new ApiProblem(
      412,
      what
        ? `The ${what} was changed after you read it: fetch it again and reapply your change.`
        : `The object is at version ${current}, not ${ifMatch}: fetch it again and reapply your change.`,
    );
}
