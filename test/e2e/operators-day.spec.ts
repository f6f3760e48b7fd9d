// Issue 12's operator's day, in one walk: a synchronisation whose source breaks shows on the Overview as
// failing; once the source is back, its run's log lists the objects it created and groups the refused
// ones by reason; a person changed at the source is found on Logs by their id, with both runs that
// touched them; their contract shows the diff between its last two versions. Each page on the way is
// checked at 1280, 820 and 390 px (no sideways scrolling of the page) and kept as a screenshot;
// widths.spec.ts checks every other page the same way.
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
  signUp,
} from './helpers';

const stamp = Date.now().toString(36);
const COUNT = 16;
// Every fourth person has no email, which the register schema requires: refused, for one reason.
const peer = jsonServerPeer(() => ({
  people: people(COUNT).map((p) => (p.id % 4 === 0 ? { ...p, email: undefined } : p)),
}));
const WIDTHS = [1280, 820, 390] as const;

async function runToEnd(page: Page, orgId: string, syncId: string) {
  const { runId } = await mutate<{ runId: string }>(page, 'synchronisations.run', { orgId, syncId });
  let result: string | null = null;
  await expect
    .poll(
      async () => {
        const run = await query<{ status: string; result: string | null }>(page, 'runs.get', {
          orgId,
          runId,
        });
        result = run.result;
        return run.status;
      },
      { timeout: 90_000 },
    )
    .toBe('finished');
  return { runId, result };
}

/** The page fits each width: nothing makes the page itself scroll sideways. A screenshot of each. */
async function fitsEveryWidth(page: Page, name: string) {
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(150);
    const overflow = await page.evaluate(() => {
      const root = document.scrollingElement ?? document.documentElement;
      return root.scrollWidth - window.innerWidth;
    });
    expect(overflow, `${name} at ${width} px scrolls sideways by ${overflow} px`).toBeLessThanOrEqual(1);
    await page.screenshot({
      path: `test-results/screenshots/operators-day/${width}/${name}.png`,
      fullPage: true,
    });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}

test('an operator’s day: a failure on the Overview, a run’s changes and errors, one object’s runs and its diff', async ({
  page,
}) => {
  test.setTimeout(240_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  const olive = {
    name: 'Olive Operator',
    email: `olive-${stamp}@example.test`,
    password: 'olive password 123',
  };
  await signUp(page, olive, `Day Co ${stamp}`);
  await expect(page).toHaveURL(/\/o\/day-co-/);
  const { path: orgPath, id: orgId } = await currentOrg(page);
  const setup = await createPeopleSetup(page, orgId, peer.url);
  const { id: syncId } = await createPeopleSync(page, setup, {
    name: `People ${stamp}`,
    sourceEndpoint: '/people?_page=1&_limit=5',
    sourceConfig: { pagination: { kind: 'link-header' } },
  });

  // Morning: the source is down. The run fails, and the Overview says so first thing.
  await fetch(`${peer.url}/__faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify([{ path: '/people', status: 500, body: { error: 'database down' } }]),
  });
  expect((await runToEnd(page, orgId, syncId)).result).toBe('error');
  await page.goto(orgPath);
  const attention = page.getByTestId('attention');
  await expect(attention.getByText(/failing since/)).toBeVisible();
  await expect(attention.getByRole('link', { name: `People ${stamp}` })).toBeVisible();
  await expect(page.getByTestId(`health-${syncId}`).getByText('Failing', { exact: true })).toBeVisible();
  await fitsEveryWidth(page, 'overview-failing');

  // The source is back: the next run creates everyone it can and refuses those without an email.
  await fetch(`${peer.url}/__faults`, { method: 'DELETE' });
  const first = await runToEnd(page, orgId, syncId);
  expect(first.result).not.toBe('error');
  await page.goto(`${orgPath}/logs/${first.runId}`);
  const refused = COUNT / 4;
  const created = COUNT - refused;
  const changed = page.getByTestId('changed-objects');
  await expect(changed.getByTestId('changed-object')).toHaveCount(created);
  await expect(page.getByRole('button', { name: `Created (${created})` })).toBeVisible();
  const group = page.getByTestId('entry-group');
  await expect(group).toHaveCount(1);
  await expect(group.getByTestId('entry-group-count')).toHaveText(`${refused} ×`);
  await expect(group.getByTestId('entry-group-reason')).toContainText('email');
  await fitsEveryWidth(page, 'run-log');

  // Person 5 changes at the source; the next run updates just them.
  await fetch(`${peer.url}/people/5`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Five Renamed' }),
  });
  const second = await runToEnd(page, orgId, syncId);

  // Logs: searching the object id finds both runs that touched it, newest first.
  await page.goto(`${orgPath}/logs`);
  await page.getByLabel('Object id').fill('5');
  await page.getByRole('button', { name: 'Search' }).click();
  const found = page.getByTestId('object-run');
  await expect(found).toHaveCount(2);
  await expect(found.nth(0)).toContainText('updated');
  await expect(found.nth(1)).toContainText('created');
  const hrefs = await found
    .locator('a[href*="/logs/"]')
    .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  expect(hrefs).toEqual([`${orgPath}/logs/${second.runId}`, `${orgPath}/logs/${first.runId}`]);
  await fitsEveryWidth(page, 'logs-object-search');

  // The contract: two versions, and the diff between them is the one field that changed.
  await page.goto(`${orgPath}/logs/${second.runId}`);
  await page.getByTestId('changed-objects').getByRole('link', { name: '5', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Contract 5' })).toBeVisible();
  await expect(page.getByTestId('contract-version')).toHaveCount(2);
  const diff = page.getByTestId('version-diff-row');
  await expect(diff).toHaveCount(1);
  await expect(diff).toContainText('name');
  await expect(diff).toContainText('"Person 5"');
  await expect(diff).toContainText('"Five Renamed"');
  await fitsEveryWidth(page, 'contract-diff');
});
