// Expected failures of a command, with a message for the person who asked. Mapped to tRPC/HTTP
// errors in one place (server/trpc/init.ts); anything else is a bug and is logged, not shown.
export type UserErrorCode = 'BAD_REQUEST' | 'NOT_FOUND' | 'CONFLICT' | 'FORBIDDEN' | 'TOO_MANY_REQUESTS';

export class UserError extends Error {
  override name = 'UserError';
  constructor(
    readonly code: UserErrorCode,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new UserError('NOT_FOUND', `${what} was not found`);

/** A list's page cursor that did not come from Concord (or from another list). */
export const notOurPageLink = () =>
  new UserError(
    'BAD_REQUEST',
    'This page link is not one Concord gave out. Start again from the first page.',
    'cursor',
  );
