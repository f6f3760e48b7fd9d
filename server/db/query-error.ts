// A query drizzle could not run throws an error whose message is "Failed query: <SQL> params: <values>":
// the parameters are what was being written — a user's records — and the SQL is no help to anyone
// reading a run's log. What a run records, and what a server log holds, is the cause's own words (the
// database's "SQLITE_CONSTRAINT: …"); a log keeps the stack's frames too.

const FAILED_QUERY = 'Failed query:';

/** The error's own words: a failed query's cause, never its SQL or parameters. */
export function errorReason(error: unknown): string {
  const at = causeOf(error);
  if (isFailedQuery(at)) return 'a database query failed';
  return at instanceof Error ? at.message : String(at);
}

/**
 * The error for a server log: its stack as the runtime wrote it, but a failed query's first lines (the
 * SQL and its parameters) replaced by the cause's words, and the cause's stack after it.
 */
export function errorForLog(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (!isFailedQuery(error)) return error.stack ?? error.message;
  const frames = framesOf(error);
  const cause = causeOf(error);
  const causeFrames = cause instanceof Error && cause !== error ? framesOf(cause) : '';
  return (
    `${error.name}: a database query failed: ${errorReason(error)}${frames}` +
    (causeFrames ? `\nCaused by: ${errorReason(cause)}${causeFrames}` : '')
  );
}

function isFailedQuery(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith(FAILED_QUERY);
}

/** Past every failed query to what made it fail (a query error may wrap another's). */
function causeOf(error: unknown): unknown {
  let at = error;
  while (isFailedQuery(at) && (at as Error).cause !== undefined) at = (at as Error).cause;
  return at;
}

/** The stack's frames ("\n    at …"), without the message it starts with (which may span lines). */
function framesOf(error: Error): string {
  return (error.stack ?? '')
    .split('\n')
    .filter((line) => /^\s+at /.test(line))
    .map((line) => `\n${line}`)
    .join('');
}

/**
 * A failed query's error as one that may be handed on (Inngest keeps a step's error, with its enumerable
 * properties — drizzle's `query` and `params` among them): the cause's words and the stack. Any other
 * error as it is.
 */
export function withoutQueryText(error: unknown): unknown {
  if (!isFailedQuery(error)) return error;
  const cause = causeOf(error);
  const clean = new Error(
    `a database query failed: ${errorReason(error)}`,
    isFailedQuery(cause) ? {} : { cause },
  );
  clean.stack = errorForLog(error);
  return clean;
}
