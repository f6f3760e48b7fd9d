// A record's history in the browser: a REST → register synchronisation against a json-server started
// here, run once, one person changed at the peer, run again. The second run's log lists the one object
// it updated; its contract shows both versions and the diff between them; searching the object id on
// Logs finds both runs; the register object names its origin. A second synchronisation into the same
// schema is warned about on its page.
// The server must allow private URLs (CONCORD_ALLOW_PRIVATE_URLS=1) to read the local json-server.
import { expect, test, type Page } from '@playwright/test';
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
const peer = jsonServerPeer(() => ({ people: people(12) }));

async function runToEnd(page: Page, orgPath: string, orgId: string, syncId: string) {
  const { runId } = await mutate<{ runId: string }>(page, 'synchronisations.run', { orgId, syncId });
  await page.goto(`${orgPath}/logs/${runId}`);
  await expect(page.getByTestId('run-result')).toContainText('Finished successfully', { timeout: 60_000 });
  return runId;
}

test('a run lists what it changed, the contract shows the diff, and search finds the object’s runs', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  const hana = { name: 'Hana History', email: `hana-${stamp}@example.test`, password: 'hana password 123' };
  await signUp(page, hana, `History Co ${stamp}`);
  await expect(page).toHaveURL(/\/o\/history-co-/);
  const { path: orgPath, id: orgId } = await currentOrg(page);
  const setup = await createPeopleSetup(page, orgId, peer.url);
  const { id: syncId } = await createPeopleSync(page, setup, {
    name: `People ${stamp}`,
    sourceEndpoint: '/people?_page=1&_limit=5',
    sourceConfig: { pagination: { kind: 'link-header' } },
  });

  // The first run created every person: its log lists them, each linked to its contract.
  const first = await runToEnd(page, orgPath, orgId, syncId);
  const changed = page.getByTestId('changed-objects');
  await expect(changed.getByTestId('changed-object')).toHaveCount(12);
  await expect(page.getByRole('button', { name: 'Created (12)' })).toBeVisible();

  // One person changes at the peer; the next run updates only that one.
  await fetch(`${peer.url}/people/4`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Four Renamed' }),
  });
  const second = await runToEnd(page, orgPath, orgId, syncId);
  await expect(changed.getByTestId('changed-object')).toHaveCount(1);
  await page.getByRole('button', { name: 'Updated (1)' }).click();
  await expect(page.getByRole('button', { name: 'Updated (1)' })).toHaveAttribute('aria-pressed', 'true');
  const row = changed.getByTestId('changed-object');
  await expect(row).toContainText('updated');
  await shot(page, 'run-changed-objects');

  // Its contract: two versions, the newest from this run, with the field it changed.
  await row.getByRole('link', { name: '4', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Contract 4' })).toBeVisible();
  const versions = page.getByTestId('contract-version');
  await expect(versions).toHaveCount(2);
  await expect(versions.nth(0)).toContainText('updated');
  await expect(versions.nth(0)).toContainText('Run now');
  await expect(versions.nth(0)).toContainText('Hana History');
  await expect(versions.nth(1)).toContainText('created');
  await expect(versions.nth(0).getByRole('link', { name: 'Run log' })).toHaveAttribute(
    'href',
    `${orgPath}/logs/${second}`,
  );
  const diff = page.getByTestId('version-diff-row');
  await expect(diff).toHaveCount(1);
  await expect(diff).toContainText('name');
  await expect(diff).toContainText('"Person 4"');
  await expect(diff).toContainText('"Four Renamed"');
  await page.getByTestId('contract-history').scrollIntoViewIfNeeded();
  await shot(page, 'contract-history-diff');

  // Search by object id on Logs: both runs that touched person 4, each linked to its log.
  await page.goto(`${orgPath}/logs`);
  await page.getByLabel('Object id').fill('4');
  await page.getByRole('button', { name: 'Search' }).click();
  const found = page.getByTestId('object-run');
  await expect(found).toHaveCount(2);
  await expect(found.nth(0)).toContainText('updated');
  await expect(found.nth(1)).toContainText('created');
  const hrefs = await found
    .locator(`a[href*="/logs/"]`)
    .evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  expect(hrefs).toEqual([`${orgPath}/logs/${second}`, `${orgPath}/logs/${first}`]);
  await expect(page).toHaveURL(/object=4/);
  await shot(page, 'logs-object-search');

  // The register object says where it came from: the synchronisation, its id there, its contract.
  await page.goto(`${orgPath}/registers/${setup.registerId}/schemas/${setup.schemaId}`);
  await page.getByLabel('Search objects').fill('Four Renamed');
  await expect(page.getByRole('row')).toHaveCount(2);
  await page.getByRole('row').nth(1).getByRole('button').click();
  const origin = page.getByRole('dialog').getByTestId('object-origin');
  await expect(origin).toHaveCount(1);
  await expect(origin).toContainText(`People ${stamp}`);
  await expect(origin).toContainText('id at the source 4');
  await origin.getByRole('link', { name: 'contract and history' }).click();
  await expect(page.getByRole('heading', { name: 'Contract 4' })).toBeVisible();

  // Duplicates by accident: a second synchronisation into the same schema is warned about.
  const { id: otherId } = await createPeopleSync(page, setup, {
    name: `More people ${stamp}`,
    sourceEndpoint: '/people?_page=1&_limit=5',
    sourceConfig: { pagination: { kind: 'link-header' } },
  });
  await page.goto(`${orgPath}/synchronisations/${otherId}`);
  const warning = page.getByTestId('shared-schema-warning');
  await expect(warning).toContainText(`“People ${stamp}” also writes into the schema Directory › Person`);
  await expect(warning.getByRole('link', { name: `Open “People ${stamp}”` })).toBeVisible();
  await shot(page, 'shared-schema-warning');
});
