// What a person sees when a configuration goes wrong or reaches a limit: refusals as sentences beside
// their fields (never zod's JSON), only the settings the chosen source reads, the REST target's
// request-body mapping and soft deletion, the page-cap notice with the way to raise the cap — and
// Concord's icons and web manifest.
import { expect, test, type Page } from '@playwright/test';
import {
  combobox,
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
const peer = jsonServerPeer(() => ({ people: people(30) }));

/** No page shows zod's own words or its JSON. */
async function expectNoZodText(page: Page) {
  const text = await page.locator('body').innerText();
  expect(text).not.toMatch(/\[\s*\{\s*"code"|"expected"|Too small|Too big|Invalid input/);
}

test('refusals are sentences at their fields, and the form shows only what the source reads', async ({
  page,
}) => {
  await signUp(
    page,
    { name: 'Cora', email: `cora-${stamp}@example.test`, password: 'cora password 1' },
    `Cfg ${stamp}`,
  );
  await expect(page).toHaveURL(/\/o\/cfg-/);
  const org = await currentOrg(page);
  const setup = await createPeopleSetup(page, org.id, peer.url);
  await mutate(page, 'sources.create', {
    orgId: org.id,
    name: 'Uploads',
    type: 'file',
    config: { format: 'csv' },
  });
  await mutate(page, 'sources.create', {
    orgId: org.id,
    name: 'Exports',
    type: 'file',
    config: { format: 'json' },
  });
  await mutate(page, 'sources.create', {
    orgId: org.id,
    name: 'Directory B',
    type: 'rest',
    config: { baseUrl: peer.url },
  });

  // The synchronisation form: the server's refusals, each beside its field.
  await page.goto(`${org.path}/synchronisations/new`);
  await page.getByLabel('Name *').fill('People');
  await combobox(page, 'Source *').selectOption({ label: 'People API (rest)' });
  await combobox(page, 'Register *').selectOption({ label: 'Directory' });
  await combobox(page, 'Schema *').selectOption({ label: 'Person' });
  await expect(page.getByLabel('Max pages')).toHaveAttribute('placeholder', '10,000 (default)');
  const fieldError = (text: string) => page.getByTestId('field-error').filter({ hasText: text });
  await page.getByLabel('Successful runs (days)').fill('0');
  await page.getByRole('button', { name: 'Create synchronisation' }).click();
  await expect(fieldError('Retention of successful runs (days) must be at least 1.')).toBeVisible();
  await expectNoZodText(page);
  await page.getByLabel('Successful runs (days)').fill('30');
  await page.getByLabel('Max pages').fill('0');
  await page.getByRole('button', { name: 'Create synchronisation' }).click();
  await expect(fieldError('Max pages must be at least 1.')).toBeVisible();
  await expect(page.getByRole('alert').filter({ hasText: 'Not saved' })).toContainText(
    'Max pages must be at least 1.',
  );
  await expectNoZodText(page);
  await shot(page, 'config-field-errors');

  // Only the settings the chosen source reads.
  const readers = ['Max pages', 'Results position', 'Endpoint'];
  await combobox(page, 'Source *').selectOption({ label: 'Uploads (file)' });
  for (const label of readers) await expect(page.getByLabel(label, { exact: true })).toHaveCount(0);
  await expect(combobox(page, 'Pagination')).toHaveCount(0);
  await combobox(page, 'Source *').selectOption({ label: 'Exports (file)' });
  await expect(page.getByLabel('Results position')).toBeVisible();
  await expect(page.getByLabel('Max pages')).toHaveCount(0);
  await combobox(page, 'Source *').selectOption({ label: 'People API (rest)' });
  for (const label of readers) await expect(page.getByLabel(label, { exact: true })).toBeVisible();

  // A REST target: the mapping of the request body, and soft deletion as a request.
  await combobox(page, 'Write to').selectOption({ label: 'A REST API or SQL database (a source)' });
  await expect(page.getByLabel('Target mapping (request body)')).toBeVisible();
  await expect(page.getByText(/into the body this API expects/)).toBeVisible();
  await combobox(page, 'Deletion policy').selectOption({ label: 'Mark as deleted (the request below)' });
  await expect(page.getByLabel('Soft delete body (JSON)')).toHaveValue('{"deleted":true}');
  await page.getByLabel('Soft delete body (JSON)').fill('[1]');
  await page.getByRole('button', { name: 'Create synchronisation' }).click();
  await expect(fieldError('The soft delete body must be a JSON object')).toBeVisible();
  await shot(page, 'config-rest-target');

  // The source form: a refusal beside the field it is about.
  await page.goto(`${org.path}/sources/${setup.sourceId}`);
  await page.getByRole('textbox', { name: /^Base URL/ }).fill('ftp://files.example.test');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(
    page
      .getByTestId('field-error')
      .filter({ hasText: 'Base URL must be an http(s) URL, such as https://api.example.com.' }),
  ).toBeVisible();
  await expectNoZodText(page);
});

test('a run that stops at the page cap says so on the sync page, with the way to raise it', async ({
  page,
}) => {
  await signUp(
    page,
    { name: 'Pia', email: `pia-${stamp}@example.test`, password: 'pia password 12' },
    `Cap ${stamp}`,
  );
  await expect(page).toHaveURL(/\/o\/cap-/);
  const org = await currentOrg(page);
  const setup = await createPeopleSetup(page, org.id, peer.url);
  const sync = await createPeopleSync(page, setup, {
    name: 'Capped people',
    sourceEndpoint: '/people?_page=1&_limit=5',
    sourceConfig: { pagination: { kind: 'link-header' }, maxPages: 2 },
  });
  await page.goto(`${org.path}/synchronisations/${sync.id}`);
  await expect(page.getByTestId('page-cap-notice')).toHaveCount(0);
  await page.getByRole('button', { name: 'Run now' }).click();
  const notice = page.getByTestId('page-cap-notice');
  await expect(notice).toContainText('The last run stopped at the page cap of 2 pages', { timeout: 60_000 });
  await expect(notice).toContainText('nothing was deleted');
  await shot(page, 'config-page-cap');

  await notice.getByRole('link', { name: 'Raise Max pages' }).click();
  await expect(page.getByRole('heading', { name: 'Edit synchronisation' })).toBeVisible();
  await expect(page.getByLabel('Max pages')).toHaveValue('2');
  await page.getByLabel('Max pages').fill('');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('heading', { name: 'Capped people' })).toBeVisible();
  await expect(page.getByText('10,000 (default)')).toBeVisible();
  await expect(page.getByTestId('page-cap-notice')).toHaveCount(0);
});

test('Concord has a favicon, app icons and a web manifest', async ({ page, request }) => {
  const favicon = await request.get('/favicon.ico');
  expect(favicon.status()).toBe(200);
  expect(favicon.headers()['content-type']).toMatch(/icon/);
  expect([...(await favicon.body()).subarray(0, 4)]).toEqual([0, 0, 1, 0]);

  const manifest = await request.get('/manifest.webmanifest');
  expect(manifest.status()).toBe(200);
  const { name, icons } = (await manifest.json()) as {
    name: string;
    icons: { src: string; sizes: string }[];
  };
  expect(name).toBe('Concord');
  expect(icons.map((i) => i.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
  for (const icon of icons) {
    const res = await request.get(icon.src);
    expect(res.status(), icon.src).toBe(200);
    const body = await res.body();
    if (icon.src.endsWith('.png')) {
      // The PNG's own width and height (IHDR) are the sizes the manifest promises.
      expect(`${body.readUInt32BE(16)}x${body.readUInt32BE(20)}`).toBe(icon.sizes);
    }
  }

  await page.goto('/sign-in');
  await expect(page.locator('link[rel="icon"][href^="/favicon.ico"]')).toHaveCount(1);
  await expect(page.locator('link[rel="manifest"]')).toHaveAttribute('href', '/manifest.webmanifest');
  await expect(page.locator('link[rel="apple-touch-icon"]')).toHaveAttribute('href', '/apple-touch-icon.png');
});
