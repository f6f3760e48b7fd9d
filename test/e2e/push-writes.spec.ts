// Writing out to a REST API as a person sets it up: a source's rate budget (requests per second and at
// once) on its form, refused beside the field when out of range and kept when saved; and a
// synchronisation into a batch endpoint with "send only changed fields", whose run lands every object
// but the one the target refuses.
// The server allows private URLs (playwright.config.ts) so it may call the local peers.
import { expect, test, type Page } from '@playwright/test';
import { startBatchTarget, type BatchTarget } from '../integration/helpers/batch-target';
import {
  combobox,
  createPeopleSetup,
  currentOrg,
  jsonServerPeer,
  nav,
  people,
  shot,
  signUp,
} from './helpers';

const stamp = Date.now().toString(36);
const rows = people(8);
rows[7] = { ...rows[7]!, name: 'Nobody', email: '' };
const peer = jsonServerPeer(() => ({ people: rows }));

let batchTarget: BatchTarget | undefined;
test.beforeAll(async () => {
  batchTarget = await startBatchTarget();
});
test.afterAll(async () => {
  await batchTarget?.stop();
});

const fieldError = (page: Page, text: string) => page.getByTestId('field-error').filter({ hasText: text });

test('a REST source’s rate budget, and a push through a batch endpoint', async ({ page }) => {
  await signUp(
    page,
    { name: 'Rita', email: `rita-${stamp}@example.test`, password: 'rita password 1' },
    `Push ${stamp}`,
  );
  await expect(page).toHaveURL(/\/o\/push-/);
  const org = await currentOrg(page);

  // The target API as a source with its budget: out of range is refused at the field, then saved.
  await nav(page, 'Sources');
  await page.getByRole('link', { name: 'New source' }).click();
  await page.getByRole('radio', { name: /^REST API/ }).click();
  await page.getByLabel('Name', { exact: true }).fill('Directory B');
  await page.getByLabel('Base URL').fill(batchTarget!.url);
  await page.getByLabel('Requests per second (optional)').fill('20000');
  await page.getByLabel('Requests at once (optional)').fill('2');
  await page.getByRole('button', { name: 'Create source' }).click();
  await expect(fieldError(page, 'Requests per second must be at most 10,000.')).toBeVisible();
  await page.getByLabel('Requests per second (optional)').fill('10');
  await page.getByRole('button', { name: 'Create source' }).click();
  await expect(page.getByRole('heading', { name: 'Directory B' })).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Requests per second (optional)')).toHaveValue('10');
  await expect(page.getByLabel('Requests at once (optional)')).toHaveValue('2');
  await shot(page, 'push-source-rate-budget');

  // A synchronisation from A into B's batch endpoint, sending only changed fields on update.
  await createPeopleSetup(page, org.id, peer.url);
  await page.goto(`${org.path}/synchronisations/new`);
  await page.getByLabel('Name *').fill('People to B');
  await combobox(page, 'Source *').selectOption({ label: 'People API (rest)' });
  await page.getByLabel('Endpoint', { exact: true }).fill('/people?_page=1&_limit=20');
  await combobox(page, 'Pagination').selectOption({ label: 'Link header' });
  await combobox(page, 'Mapping').first().selectOption({ label: 'Person' });
  await combobox(page, 'Write to').selectOption({ label: 'A REST API (a source)' });
  await combobox(page, 'Target source *').selectOption({ label: 'Directory B' });
  await page.getByLabel(/^Send only changed fields/).check();
  await page.getByLabel('Batch create endpoint (optional)').fill('/people/batch');
  await page.getByLabel('Batch body key (optional)').fill('items');
  await page.getByLabel('Batch results path (optional)').fill('results');
  await page.getByRole('button', { name: 'Create synchronisation' }).click();
  await expect(page.getByRole('heading', { name: 'People to B' })).toBeVisible();
  await expect(page.getByText('only changed fields (PATCH)')).toBeVisible();
  await expect(page.getByText(/POST \/people\/batch/)).toBeVisible();

  await page.getByRole('button', { name: 'Run now' }).click();
  const progress = page.getByTestId('run-progress');
  await expect(progress.getByTestId('count-created')).toHaveText('7', { timeout: 90_000 });
  await expect(progress.getByTestId('count-failed')).toHaveText('1');
  await shot(page, 'push-batch-run');
  expect((await batchTarget!.people()).map((p) => p['email'])).not.toContain('');
  expect(await batchTarget!.people()).toHaveLength(7);

  // The edit form keeps what was saved.
  await page.getByRole('link', { name: 'Edit' }).click();
  await expect(page.getByLabel(/^Send only changed fields/)).toBeChecked();
  await expect(page.getByLabel('Batch create endpoint (optional)')).toHaveValue('/people/batch');
  await expect(page.getByLabel('Batch body key (optional)')).toHaveValue('items');
});
