// The run log as an operator reads it: a synchronisation against json-server with invalid objects and a
// page that fails once; its log shows the timeline (each page, the retry with its reason, the listing's
// end and the deletion phase), the errors grouped by reason with their count, the list narrowed by a
// group and by a search, and the download of the entries; the logs across runs filtered from the URL.
// The server must allow private URLs (CONCORD_ALLOW_PRIVATE_URLS=1) to read the local json-server.
import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import {
  createPeopleSetup,
  createPeopleSync,
  currentOrg,
  jsonServerPeer,
  mutate,
  people,
  shot,
  signUp,
} from './helpers';

const stamp = Date.now().toString(36);
const COUNT = 120;
// Every fourth person has no email, which the schema requires: 30 objects refused for one reason.
const peer = jsonServerPeer(() => ({
  people: people(COUNT).map((p) => (p.id % 4 === 0 ? { ...p, email: undefined } : p)),
}));

test('a run log with its timeline, grouped errors, filters and download; logs filtered by the URL', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  const rosa = { name: 'Rosa Runlog', email: `rosa-${stamp}@example.test`, password: 'rosa password 123' };
  await signUp(page, rosa, `Runlog Co ${stamp}`);
  await expect(page).toHaveURL(/\/o\/runlog-co-/);
  const { path: orgPath, id: orgId } = await currentOrg(page);
  const setup = await createPeopleSetup(page, orgId, peer.url);
  const { id: syncId } = await createPeopleSync(page, setup, {
    name: `People ${stamp}`,
    sourceEndpoint: '/people?_page=1&_limit=20',
    sourceConfig: { pagination: { kind: 'link-header' } },
  });
  // Page 2 answers 500 once: the request is tried again and the run goes on.
  await fetch(`${peer.url}/__faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([{ path: '/people', page: 2, status: 500, times: 1 }]),
  });

  const { runId } = await mutate<{ runId: string }>(page, 'synchronisations.run', { orgId, syncId });
  await page.goto(`${orgPath}/logs/${runId}`);
  await expect(page.getByTestId('run-result')).toContainText('Finished with a warning', { timeout: 90_000 });

  // The timeline: six pages with their status and objects, the retry of page 2 and why.
  const timeline = page.getByTestId('run-timeline');
  await expect(timeline.locator('[data-kind="page"]')).toHaveCount(6);
  await expect(timeline.locator('[data-kind="page"]').first()).toContainText('_page=1');
  await expect(timeline.locator('[data-kind="page"]').first()).toContainText('200');
  await expect(timeline.locator('[data-kind="page"]').first()).toContainText('120 objects in all');
  const retry = timeline.locator('[data-kind="retry"]');
  await expect(retry).toHaveCount(1);
  await expect(retry).toContainText('server error');
  await expect(retry).toContainText('500');
  await expect(timeline.locator('[data-kind="listing-end"]')).toContainText(
    'The listing is complete: 6 pages read.',
  );
  await expect(timeline.locator('[data-kind="deletion-plan"]')).toContainText('No deletions');
  await timeline.scrollIntoViewIfNeeded();
  await shot(page, 'run-log-timeline');

  // 30 identical errors over six pages: one group, its count and examples linked to their contracts.
  const group = page.getByTestId('entry-group');
  await expect(group).toHaveCount(1);
  await expect(group.getByTestId('entry-group-count')).toHaveText('30 ×');
  await expect(group.getByTestId('entry-group-reason')).toContainText('email');
  await expect(group.getByRole('link')).toHaveCount(5);
  await shot(page, 'run-log-groups');
  await group.getByRole('button', { name: 'Show all 30' }).click();
  await expect(page.getByTestId('reason-filter')).toBeVisible();
  await expect(page.getByText(/Objects that need attention \(30 shown\)/)).toBeVisible();

  // A search by object id narrows the list.
  await page.getByLabel('Search object id or reason').fill('116');
  await expect(page.getByTestId('run-entry')).toHaveCount(1);
  await expect(page.getByTestId('run-entry')).toContainText('116');
  await page.getByLabel('Search object id or reason').fill('');
  await page.getByLabel('Show every reason').click();
  await page.getByLabel('Action').selectOption('failed');
  await expect(page.getByText('No entry matches these filters.')).toBeVisible();
  await page.getByLabel('Action').selectOption('invalid');
  await expect(page.getByText(/Objects that need attention \(30 shown\)/)).toBeVisible();
  await shot(page, 'run-log-entries-filtered');

  // The download: the list's entries as CSV (through the browser) and NDJSON.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download CSV' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe(`run-${runId}-entries.csv`);
  const csv = readFileSync(await download.path(), 'utf8')
    .trimEnd()
    .split('\r\n');
  expect(csv[0]).toBe('action,originId,targetId,reason,batch,at,data');
  expect(csv).toHaveLength(31);
  expect(csv.slice(1).every((line) => line.startsWith('invalid,'))).toBe(true);
  const ndjsonHref = await page.getByRole('link', { name: 'Download NDJSON' }).getAttribute('href');
  const ndjson = await page.request.get(ndjsonHref!);
  expect(ndjson.status()).toBe(200);
  const lines = (await ndjson.text())
    .trimEnd()
    .split('\n')
    .map((line) => JSON.parse(line) as { originId: string; action: string });
  expect(lines).toHaveLength(30);
  expect(lines.map((l) => Number(l.originId)).every((id) => id % 4 === 0)).toBe(true);

  // The logs across runs, filtered from a link; the filters change the URL.
  await page.goto(`${orgPath}/logs?result=warning&trigger=manual`);
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await expect(page.getByLabel('Result')).toHaveValue('warning');
  await page.getByLabel('Result').selectOption('success');
  await expect(page.getByText('No run matches these filters')).toBeVisible();
  await expect(page).toHaveURL(/result=success/);
  await expect(page).toHaveURL(/trigger=manual/);
  await shot(page, 'logs-filtered');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByTestId('run-row')).toHaveCount(1);
  await expect(page).toHaveURL(new RegExp(`${orgPath}/logs$`));
});
