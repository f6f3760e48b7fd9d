// Logs and contracts in the browser: sign up, set up a REST → register synchronisation through the API
// (a json-server started here), run it and watch its live progress end in the log; a dry run's entries;
// the logs page with its chart; the contracts table with search and filters; a contract whose mapping
// changed shows the difference, and Re-sync makes the target match again.
// The server must allow private URLs (CONCORD_ALLOW_PRIVATE_URLS=1) to read the local json-server.
import { expect, test, type Page } from '@playwright/test';
import { startJsonServer, type JsonServer } from '../integration/helpers/json-server';

const stamp = Date.now().toString(36);
const COUNT = 1500;
const people = Array.from({ length: COUNT }, (_, i) => ({
  id: i + 1,
  name: `Person ${i + 1}`,
  email: `person${i + 1}@example.test`,
  address: { city: i % 2 ? 'Utrecht' : 'Leiden' },
}));
const MAPPING = { mapping: { name: 'name', email: 'email', city: 'address.city' } };

let peer: JsonServer;
test.beforeAll(async () => {
  peer = await startJsonServer({ people });
});
test.afterAll(async () => {
  await peer?.stop();
});

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

/** A tRPC call from the signed-in page (superjson wire format). */
async function trpc<T>(page: Page, path: string, input?: unknown): Promise<T> {
  const res =
    input === undefined
      ? await page.request.get(`/api/trpc/${path}`)
      : await page.request.post(`/api/trpc/${path}`, { data: { json: input } });
  expect(res.ok(), `${path}: ${await res.text()}`).toBe(true);
  return ((await res.json()) as { result: { data: { json: T } } }).result.data.json;
}

async function setUp(page: Page, slug: string) {
  const me = await trpc<{ organisations: { orgId: string; slug: string }[] }>(page, 'account.me');
  const orgId = me.organisations.find((o) => o.slug === slug)!.orgId;
  const source = await trpc<{ id: string }>(page, 'sources.create', {
    orgId,
    name: 'People API',
    type: 'rest',
    config: { baseUrl: peer.url },
  });
  const register = await trpc<{ id: string }>(page, 'registers.create', { orgId, name: 'Directory' });
  const schema = await trpc<{ id: string }>(page, 'registers.createSchema', {
    orgId,
    registerId: register.id,
    name: 'Person',
    jsonSchema: {
      type: 'object',
      required: ['name', 'email'],
      properties: { name: { type: 'string' }, email: { type: 'string' }, city: { type: 'string' } },
    },
  });
  const mapping = await trpc<{ id: string }>(page, 'mappings.create', {
    orgId,
    name: 'Person',
    config: MAPPING,
  });
  const sync = await trpc<{ id: string }>(page, 'synchronisations.create', {
    orgId,
    name: `People ${stamp}`,
    sourceId: source.id,
    sourceEndpoint: '/people?_page=1&_limit=50',
    sourceConfig: { pagination: { kind: 'link-header' } },
    mappingId: mapping.id,
    targetType: 'register',
    targetRegisterId: register.id,
    targetSchemaId: schema.id,
  });
  return { orgId, syncId: sync.id, mappingId: mapping.id };
}

test('logs, a run live and its log, contracts, and a contract with its diff and re-sync', async ({
  page,
}) => {
  test.setTimeout(180_000);
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill('Lena Logs');
  await page.getByLabel('Email').fill(`lena-${stamp}@example.test`);
  await page.getByLabel('Password').fill('lena password 123');
  await page.getByLabel('Organisation').fill(`Log Co ${stamp}`);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/o\/log-co-/);
  const orgPath = new URL(page.url()).pathname;
  const { orgId, syncId, mappingId } = await setUp(page, orgPath.split('/')[2]!);

  // Before any run: the logs page says what to do.
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Logs' }).click();
  await expect(page.getByText('No runs yet')).toBeVisible();
  await shot(page, 'logs-empty');

  // A run, followed live on its page until it ends in its log.
  const { runId } = await trpc<{ runId: string }>(page, 'synchronisations.run', { orgId, syncId });
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
  const dry = await trpc<{ runId: string }>(page, 'synchronisations.run', { orgId, syncId, test: true });
  await page.goto(`${orgPath}/logs/${dry.runId}`);
  await expect(result).toContainText('Finished', { timeout: 90_000 });
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

  // The contracts table: search by the start of the origin id, filters, then a row opens its contract.
  await page.goto(`${orgPath}/synchronisations/${syncId}/contracts`);
  await expect(page.getByText(`${COUNT.toLocaleString('en-US')} in total`)).toBeVisible();
  await expect(page.getByTestId('contract-row')).toHaveCount(50);
  await page.getByLabel('Rows').selectOption('25');
  await expect(page.getByTestId('contract-row')).toHaveCount(25);
  await shot(page, 'contracts');
  await page.getByLabel('Status').selectOption('failed');
  await expect(page.getByText('No contract matches')).toBeVisible();
  await page.getByLabel('Status').selectOption('synced');
  await page.getByRole('searchbox').fill('7');
  await expect(page).toHaveURL(/q=7/);
  await expect(page.getByText(/111 in total/)).toBeVisible();
  await shot(page, 'contracts-search');

  // The mapping changes after the run: the contract shows how the target differs from the new mapping.
  await trpc(page, 'mappings.update', {
    orgId,
    mappingId,
    config: { mapping: { ...MAPPING.mapping, name: '{{ name | upcase }}' } },
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
  const invitation = await trpc<{ path: string }>(page, 'members.invite', { orgId, role: 'viewer' });
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto(invitation.path);
  await page.getByLabel('Your name').fill('Vera Viewer');
  await page.getByLabel('Email').fill(`vera-${stamp}@example.test`);
  await page.getByLabel('Password').fill('vera password 123');
  await page.getByRole('button', { name: 'Create account and join' }).click();
  await expect(page.getByTestId('signed-in-as')).toHaveText('Vera Viewer · viewer');
  await page.goto(contractUrl);
  await expect(page.getByTestId('diff-equal')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Re-sync this object' })).toHaveCount(0);
  await page.goto(`${orgPath}/logs`);
  await expect(page.getByTestId('run-row')).toHaveCount(3);
  await shot(page, 'logs-as-viewer');
});
