// A run whose executor threw still ends with a reason. "Run it again" is advised only where it can help:
// an error that comes from the data (a stack overflow, a string too long) would strike again (issue 9).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failRun } from '@/server/runner/fail-run';
import { ExplainedStop } from '@/server/sync/stop';
import { loadRun, requestRun } from '@/server/services/runs';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { restToRegister } from '../helpers/sync-setup';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

async function failedWith(error: unknown) {
  const s = await restToRegister(db.db, 'http://127.0.0.1:9');
  const { run } = await requestRun(db.db, s.orgId, s.sync.id, { trigger: 'manual' });
  await failRun(db.db, run.id, error);
  return loadRun(db.db, s.orgId, run.id);
}

describe('failRun', () => {
  it('advises running it again after a passing fault', async () => {
    expect(await failedWith(new Error('SQLITE_BUSY: database is locked'))).toMatchObject({
      status: 'finished',
      result: 'error',
      message:
        'The run stopped because of an unexpected error: SQLITE_BUSY: database is locked. ' +
        'Run it again; objects already synchronised are skipped.',
    });
  });

  it('does not advise running it again after an error that comes from the data', async () => {
    const run = await failedWith(new RangeError('Maximum call stack size exceeded'));
    expect(run.message).toBe(
      'The run stopped because of an unexpected error: Maximum call stack size exceeded. ' +
        'It comes from the data (too large or too deeply nested), so running it again would stop the same way.',
    );
  });

  it('gives a stop Concord can explain as it is, advising a fix first where running again cannot help', async () => {
    const missing = await failedWith(
      new ExplainedStop('SQL target "Warehouse": the table people does not exist; create it first', true),
    );
    expect(missing.message).toBe(
      'The run stopped: SQL target "Warehouse": the table people does not exist; create it first. ' +
        'Fix that first: running it again as it is would stop the same way.',
    );
    const lost = await failedWith(
      new ExplainedStop('SQL target "Warehouse": the connection was lost', false),
    );
    expect(lost.message).toBe(
      'The run stopped: SQL target "Warehouse": the connection was lost. ' +
        'Run it again; objects already synchronised are skipped.',
    );
  });
});
