// How runs read in the browser when they did not simply write everything: a test run's counts read as
// planned and its result as a test run (logs list, chart, run page, synchronisation page), and a forced
// run tells what really changed from what it rewrote unchanged.
// The server must allow private URLs (CONCORD_ALLOW_PRIVATE_URLS=1) to read the local json-server.
import { expect, test, type Page } from '@playwright/test';
import {
  createPeopleSetup,
  createPeopleSync,
  currentOrg,
  jsonServerPeer,
  mutate,
  people,
  query,
  shot,
  signUp,
} from './helpers';

const stamp = Date.now().toString(36);
const peer = jsonServerPeer(() => ({ people: people(5) }));

async function runToEnd(
  page: Page,
  orgId: string,
  syncId: string,
  mode: { test?: boolean; force?: boolean },
) {
  const { runId } = await mutate<{ runId: string }>(page, 'synchronisations.run', { orgId, syncId, ...mode });
  await expect
    .poll(async () => (await query<{ status: string }>(page, 'runs.get', { orgId, runId })).status, {
      timeout: 60_000,
    })
    .toBe('finished');
  return runId;
}

test('a test run reads as planned everywhere, and a forced run separates rewrites from updates', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  const tess = { name: 'Tess Labels', email: `tess-${stamp}@example.test`, password: 'tess password 123' };
  await signUp(page, tess, `Label Co ${stamp}`);
  await expect(page).toHaveURL(/\/o\/label-co-/);
  const { path: orgPath, id: orgId } = await currentOrg(page);
  const setup = await createPeopleSetup(page, orgId, peer.url);
  const { id: syncId } = await createPeopleSync(page, setup, {
    name: `People ${stamp}`,
    sourceEndpoint: '/people?_page=1&_limit=50',
    sourceConfig: { pagination: { kind: 'link-header' } },
  });

  // A first real run, one change in the source, a test run, then a forced real run.
  await runToEnd(page, orgId, syncId, {});
  await fetch(`${peer.url}/people/3`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Three Renamed' }),
  });
  const dry = await runToEnd(page, orgId, syncId, { test: true });
  const forced = await runToEnd(page, orgId, syncId, { force: true });

  // The logs list: the test run's result is a test run, and its counts are planned.
  await page.goto(`${orgPath}/logs`);
  const rows = page.getByTestId('run-row');
  await expect(rows).toHaveCount(3);
  const [forcedRow, dryRow, firstRow] = [rows.nth(0), rows.nth(1), rows.nth(2)];
  await expect(dryRow).toContainText('Test run');
  await expect(dryRow).toContainText('planned only');
  await expect(dryRow).not.toContainText('Success');
  await expect(dryRow.getByTestId('cell-updated')).toHaveAttribute(
    'title',
    'Would update 1 (a test run: nothing was written)',
  );
  await expect(firstRow).toContainText('Success');
  await expect(firstRow.getByTestId('cell-created')).toHaveText('5');
  // Forced: five written, one of them changed.
  await expect(forcedRow.getByTestId('cell-updated')).toHaveText('1');
  await expect(forcedRow.getByTestId('cell-rewritten')).toHaveText('4');
  await expect(page.getByTestId('chart-test-note')).toContainText('Pale bars are test runs');
  await shot(page, 'logs-test-and-forced');

  // The test run's page: a test run's result, planned counts.
  await page.goto(`${orgPath}/logs/${dry}`);
  await expect(page.getByTestId('run-result')).toContainText('Test run finished: nothing was written');
  await expect(page.getByTestId('label-updated')).toHaveText('Would update');
  await expect(page.getByTestId('count-updated')).toHaveText('1');
  await expect(page.getByTestId('label-created')).toHaveText('Would create');
  await expect(page.getByText('Test run', { exact: true })).toBeVisible();
  await shot(page, 'run-test-planned');

  // The forced run's page: one update, four rewrites of unchanged objects.
  await page.goto(`${orgPath}/logs/${forced}`);
  await expect(page.getByTestId('run-result')).toContainText('Finished successfully');
  await expect(page.getByTestId('run-result')).toContainText('updated 1, rewrote 4 unchanged');
  await expect(page.getByTestId('label-rewritten')).toHaveText('Rewritten');
  await expect(page.getByTestId('count-rewritten')).toHaveText('4');
  await expect(page.getByTestId('count-updated')).toHaveText('1');

  // The synchronisation's page: its recent runs say the same.
  await page.goto(`${orgPath}/synchronisations/${syncId}`);
  const recent = page.getByTestId('recent-run');
  await expect(recent).toHaveCount(3);
  await expect(recent.nth(1)).toContainText('Test run');
  await expect(recent.nth(1).getByTestId('recent-run-counts')).toHaveText('would 0 · 1 · 0');
  await expect(recent.nth(0).getByTestId('recent-run-counts')).toContainText('rewrote 4 unchanged');
  await expect(recent.nth(2)).toContainText('Success');
  // The trigger in words, as on the logs pages.
  await expect(recent.nth(2)).toContainText('Run now');
  await expect(recent.nth(1)).toContainText('Run now · test');
  await shot(page, 'sync-recent-runs-labels');
});
