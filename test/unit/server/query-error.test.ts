// A failed drizzle query's error ("Failed query: <SQL> params: <values>") told without its SQL and
// parameters: in a run's message, a log line, and the error a step hands to Inngest.
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { describe, expect, it } from 'vitest';
import { asStepRunner } from '@/inngest/functions/run-sync';
import { errorForLog, errorReason, withoutQueryText } from '@/server/db/query-error';

const PARAMS = ['[{"name":"Wilhelmina Quartermaine","email":"w.q@private.test"}]'];

function failedQuery() {
  const cause = Object.assign(new Error('SQLITE_CONSTRAINT: the register is read-only'), {
    code: 'SQLITE_CONSTRAINT',
  });
  return new DrizzleQueryError('INSERT INTO objects SELECT * FROM json_each(?)', PARAMS, cause);
}

const leaks = (text: string) => /Failed query|params:|INSERT|Wilhelmina|private\.test/.test(text);

describe('errorReason', () => {
  it("gives a failed query's cause, another error's message", () => {
    expect(errorReason(failedQuery())).toBe('SQLITE_CONSTRAINT: the register is read-only');
    expect(errorReason(new DrizzleQueryError('SELECT 1', [], undefined as unknown as Error))).toBe(
      'a database query failed',
    );
    expect(errorReason(new Error('socket hang up'))).toBe('socket hang up');
    expect(errorReason('plain')).toBe('plain');
  });
});

describe('errorForLog', () => {
  it("keeps a failed query's stack frames and its cause, not its SQL or parameters", () => {
    const logged = errorForLog(failedQuery());
    expect(logged).toMatch(
      /^Error: a database query failed: SQLITE_CONSTRAINT: the register is read-only\n\s+at /,
    );
    expect(logged).toContain('Caused by: SQLITE_CONSTRAINT');
    expect(leaks(logged)).toBe(false);
  });

  it("keeps another error's stack as it is", () => {
    const error = new TypeError('x is undefined');
    expect(errorForLog(error)).toBe(error.stack);
  });
});

describe('a step that throws a failed query (Inngest keeps its error)', () => {
  it('throws it without the SQL and parameters, keeping the cause', async () => {
    const direct = { run: (_id: string, fn: () => Promise<unknown>) => fn() };
    const thrown = await asStepRunner(direct)
      .run('page-1', () => Promise.reject(failedQuery()))
      .catch((error: unknown) => error as Error & Record<string, unknown>);
    expect(thrown.message).toBe('a database query failed: SQLITE_CONSTRAINT: the register is read-only');
    expect(thrown.query).toBeUndefined();
    expect(thrown.params).toBeUndefined();
    expect(leaks(thrown.stack ?? '')).toBe(false);
    expect((thrown.cause as { code: string }).code).toBe('SQLITE_CONSTRAINT');
    const other = new Error('socket hang up');
    expect(withoutQueryText(other)).toBe(other);
  });
});
