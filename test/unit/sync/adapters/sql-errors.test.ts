// Driver errors in words a person can act on: the problem, the server's words, what to check.
import { describe, expect, it } from 'vitest';
import { describeSqlError } from '@/server/sync/sources/sql-errors';

const error = (message: string, extra: Record<string, unknown> = {}) =>
  Object.assign(new Error(message), extra);

describe('describeSqlError', () => {
  it('explains PostgreSQL errors by SQLSTATE', () => {
    expect(describeSqlError(error('password authentication failed for user "app"', { code: '28P01' }))).toBe(
      'the database refused the sign-in (password authentication failed for user "app"); check the user and the password of the source',
    );
    expect(describeSqlError(error('relation "x" does not exist', { code: '42P01' }))).toMatch(
      /^a table .* does not exist/,
    );
    expect(
      describeSqlError(error('canceling statement due to statement timeout', { code: '57014' })),
    ).toMatch(/statement timeout.*raise the timeout/);
  });

  it('explains MySQL and MariaDB errors by code and by number', () => {
    expect(
      describeSqlError(
        error("Access denied for user 'a'@'h' (using password: YES)", { code: 'ER_ACCESS_DENIED_ERROR' }),
      ),
    ).toMatch(/^the database refused the sign-in/);
    expect(
      describeSqlError(
        error('Query execution was interrupted (max_statement_time exceeded)', { errno: 1969 }),
      ),
    ).toMatch(/statement timeout/);
  });

  it('explains socket errors, also inside an AggregateError', () => {
    expect(describeSqlError(error('connect ECONNREFUSED 10.0.0.1:5432', { code: 'ECONNREFUSED' }))).toMatch(
      /^the connection was refused .*check the host, the port/,
    );
    const aggregate = new AggregateError(
      [error('connect ECONNREFUSED ::1:5432', { code: 'ECONNREFUSED' })],
      '',
    );
    expect(describeSqlError(aggregate)).toMatch(
      /^the connection was refused \(connect ECONNREFUSED ::1:5432\)/,
    );
    expect(describeSqlError(new Error('Connection terminated due to connection timeout'))).toMatch(
      /could not be reached/,
    );
  });

  it('passes unknown errors on in one line, shortened', () => {
    expect(describeSqlError(error('something\n  odd', { code: 'XX999' }))).toBe(
      'the database answered with an error (something odd)',
    );
    expect(describeSqlError('plain')).toBe('the database answered with an error (plain)');
    expect(describeSqlError(error('x'.repeat(1000))).length).toBeLessThan(400);
  });
});
