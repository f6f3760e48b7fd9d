// Logs and contracts in the browser: sign up, set up a REST → register synchronisation through the API
// (a json-server started here), run it and watch its live progress end in the log; a dry run's entries;
// the logs page with its chart; the organisation's contracts page; a synchronisation's contracts table
// with search and filters; a contract whose mapping changed shows the difference, and Re-sync makes the
// target match again.
// The server must allow private URLs (CONCORD_ALLOW_PRIVATE_URLS=1) to read the local json-server.
import { expect, test } from '@playwright/test';
import {
  acceptInvitation,
  createPeopleSetup,
  createPeopleSync,
  currentOrg,
  jsonServerPeer,
  mutate,
  nav,
  people,
  PERSON_MAPPING,
  shot,
  signOut,
  signUp,
} from './helpers';

const stamp = Date.now().toString(36);
const COUNT = 1500;
const peer = jsonServerPeer(() => ({ people: people(COUNT) }));

test('logs, a run live and its log, contracts, and a contract with its diff and re-sync', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  const lena = { name: 'Lena Logs', email: `lena-${stamp}@example.test`, password: 'lena password 123' };
  await signUp(page, lena, `Log Co ${stamp}`);
  await expect(page).toHaveURL(/\/o\/log-co-/);
  const { path: orgPath, id: orgId } = await currentOrg(page);
  const setup = await createPeopleSetup(page, orgId, peer.url);
  const mappingId = setup.mappingId!;
  const { id: syncId } = await createPeopleSync(page, setup, {
    name: `People ${stamp}`,
    sourceEndpoint: '/people?_page=1&_limit=50',
    sourceConfig: { pagination: { kind: 'link-header' } },
  });

  // Before any run: the logs page says what to do.
  await nav(page, 'Logs');
  await expect(page.getByText('No runs yet')).toBeVisible();
  await shot(page, 'logs-empty');

  // A run, followed live on its page until it ends in its log.
  const { runId } = await mutate<{ runId: string }>(page, 'synchronisations.run', { orgId, syncId });
  await page.goto(`${orgPath}/logs/${runId}`);
  const live = page.getByTestId('live-progress');
  const result = page.getByTestId('run-result');
  await expect(live.or(result)).toBeVisible();
  if (await live.isVisible()) {
    await expect(live.getByRole('button', { name: 'Cancel run' })).toBeVisible();
    await shot(page, 'run-live-progress');
  }
  await expect(result).toContainText('Finished successfully', { timeout: 90_000 });
  await expect(page.getByTestId('count-created')).toHaveText(COUNT.toLocaleString('en-US'));
  await expect(page.getByTestId('count-found')).toHaveText(COUNT.toLocaleString('en-US'));
  await expect(page.getByText('Yes: every page was read')).toBeVisible();
  await expect(page.getByText('Lena Logs', { exact: true })).toBeVisible();
  await shot(page, 'run-log');

  // A dry run after one source change: its entries show the object it would write.
  await fetch(`${peer.url}/people/7`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Seven Renamed' }),
  });
  const dry = await mutate<{ runId: string }>(page, 'synchronisations.run', { orgId, syncId, test: true });
  await page.goto(`${orgPath}/logs/${dry.runId}`);
  await expect(result).toContainText('Test run finished: nothing was written', { timeout: 90_000 });
  const entry = page.getByTestId('run-entry');
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText('update');
  await entry.getByRole('button', { name: 'Show object' }).click();
  await expect(page.getByText('"Seven Renamed"')).toBeVisible();
  await shot(page, 'run-test-entries');

  // The logs page: the chart and the history of both runs.
  await page.goto(`${orgPath}/logs`);
  await expect(page.getByTestId('run-row')).toHaveCount(2);
  await expect(page.getByTestId('runs-chart')).toBeVisible();
  await expect(page.getByTestId('run-row').first()).toContainText('test');
  await shot(page, 'logs');
  await page.getByLabel('Synchronisation').selectOption({ label: `People ${stamp}` });
  await expect(page).toHaveURL(new RegExp(`sync=${syncId}`));
  await expect(page.getByTestId('run-row')).toHaveCount(2);

  // The organisation's contracts: every synchronisation's, each row named by its synchronisation, with
  // the synchronisation and status filters; a row opens its contract.
  await nav(page, 'Contracts');
  await expect(page.getByRole('heading', { name: 'Contracts', level: 1 })).toBeVisible();
  await expect(page.getByText(`${COUNT.toLocaleString('en-US')} in total`)).toBeVisible();
  const firstContract = page.getByTestId('contract-row').first();
  await expect(firstContract.getByRole('link', { name: `People ${stamp}` })).toBeVisible();
  await expect(firstContract.getByRole('link', { name: '1', exact: true })).toBeVisible();
  await expect(firstContract).toContainText('Synced');
  await expect(firstContract).toContainText('Created');
  await page.getByLabel('Status').selectOption('failed');
  await expect(page.getByText('No contract matches')).toBeVisible();
  await page.getByLabel('Status').selectOption('synced');
  await page.getByLabel('Synchronisation').selectOption({ label: `People ${stamp}` });
  await expect(page).toHaveURL(new RegExp(`sync=${syncId}.*status=synced`));
  await expect(page.getByText(`${COUNT.toLocaleString('en-US')} in total`)).toBeVisible();
  await shot(page, 'contracts-organisation');
  await firstContract.getByRole('link', { name: '1', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Contract 1' })).toBeVisible();

  // The contracts table: search by the start of the origin id, filters, then a row opens its contract.
  await page.goto(`${orgPath}/synchronisations/${syncId}/contracts`);
  await expect(page.getByText(`${COUNT.toLocaleString('en-US')} in total`)).toBeVisible();
  await expect(page.getByTestId('contract-row')).toHaveCount(50);
  await page.getByLabel('Rows').selectOption('25');
  await expect(page.getByTestId('contract-row')).toHaveCount(25);
  // Keyset pages: Next, Last and First, the page kept in the URL (Back returns to it).
  const pages = Math.ceil(COUNT / 25);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByText(`page 2 of ${pages}`)).toBeVisible();
  await expect(page).toHaveURL(/at=.*page=2/);
  await page.getByRole('button', { name: 'Last' }).click();
  await expect(page.getByText(`page ${pages} of ${pages}`)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Next' })).toBeDisabled();
  await page.getByRole('button', { name: 'First' }).click();
  await expect(page.getByText(`page 1 of ${pages}`)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Previous' })).toBeDisabled();
  await shot(page, 'contracts');
  await page.getByLabel('Status').selectOption('failed');
  await expect(page.getByText('No contract matches')).toBeVisible();
  await page.getByLabel('Status').selectOption('synced');
  await page.getByRole('searchbox').fill('7');
  await expect(page).toHaveURL(/q=7/);
  await expect(page.getByText(/111 in total/)).toBeVisible();
  await shot(page, 'contracts-search');

  // The mapping changes after the run: the contract shows how the target differs from the new mapping.
  await mutate(page, 'mappings.update', {
    orgId,
    mappingId,
    config: { mapping: { ...PERSON_MAPPING.mapping, name: '{{ name | upcase }}' } },
  });
  await page.getByRole('link', { name: '7', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Contract 7' })).toBeVisible();
  await expect(page.getByTestId('source-object')).toContainText('"Person 7"');
  await expect(page.getByTestId('target-object')).toContainText('"Person 7"');
  const diff = page.getByTestId('diff-row');
  await expect(diff).toHaveCount(1);
  await expect(diff).toContainText('name');
  await expect(diff).toContainText('PERSON 7');
  await shot(page, 'contract-diff');

  // Re-sync this one object: a forced run of one, after which the target matches the mapping again.
  await page.getByRole('button', { name: 'Re-sync this object' }).click();
  await page.getByRole('link', { name: 'Open its log' }).click();
  await expect(result).toContainText('Finished successfully', { timeout: 60_000 });
  await expect(page.getByTestId('count-updated')).toHaveText('1');
  await expect(page.getByText('Re-sync of one object')).toBeVisible();
  await shot(page, 'run-resync');
  await page.goBack();
  const contractUrl = page.url();
  await page.reload();
  await expect(page.getByTestId('diff-equal')).toBeVisible();
  await expect(page.getByTestId('target-object')).toContainText('"PERSON 7"');
  await shot(page, 'contract-after-resync');

  // A tablet width still shows the contracts table (it scrolls sideways).
  await page.setViewportSize({ width: 820, height: 1100 });
  await page.goto(`${orgPath}/synchronisations/${syncId}/contracts?status=synced&action=update`);
  await expect(page.getByTestId('contract-row')).toHaveCount(1);
  await shot(page, 'contracts-tablet');

  // A viewer sees the same pages without Re-sync.
  await page.setViewportSize({ width: 1280, height: 900 });
  const invitation = await mutate<{ path: string }>(page, 'members.invite', { orgId, role: 'viewer' });
  await signOut(page);
  const vera = { name: 'Vera Viewer', email: `vera-${stamp}@example.test`, password: 'vera password 123' };
  await acceptInvitation(page, invitation.path, vera);
  await expect(page.getByTestId('signed-in-as')).toHaveText('Vera Viewer · viewer');
  await page.goto(contractUrl);
  await expect(page.getByTestId('diff-equal')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Re-sync this object' })).toHaveCount(0);
  await page.goto(`${orgPath}/logs`);
  await expect(page.getByTestId('run-row')).toHaveCount(3);
  await shot(page, 'logs-as-viewer');
  await nav(page, 'Contracts');
  await expect(page.getByTestId('contract-row')).toHaveCount(50);
});
