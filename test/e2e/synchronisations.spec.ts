// Synchronisations in the browser: sign up, prepare a REST source (a json-server started here), a
// register schema and a mapping through the API, then create a synchronisation with the form, run
// it and watch the progress finish, open its log; held deletions approved from the page; the webhook;
// an API key on the settings page that starts a run through the trigger endpoint.
// The server must allow private URLs (CONCORD_ALLOW_PRIVATE_URLS=1) to read the local json-server.
import { expect, test } from '@playwright/test';
import {
  acceptInvitation,
  combobox,
  createPeopleSetup,
  currentOrg,
  jsonServerPeer,
  nav,
  mutate,
  people,
  shot,
  signOut,
  signUp,
} from './helpers';

const stamp = Date.now().toString(36);
const COUNT = 600;
const syncName = `People ${stamp}`;
const peer = jsonServerPeer(() => ({ people: people(COUNT) }));

test('create a synchronisation, run it, approve held deletions, webhook and API key', async ({ page }) => {
  test.setTimeout(180_000);
  const sam = { name: 'Sam Sync', email: `sam-${stamp}@example.test`, password: 'sam password 123' };
  await signUp(page, sam, `Sync Co ${stamp}`);
  await expect(page).toHaveURL(/\/o\/sync-co-/);
  const { path: orgPath, id: orgId } = await currentOrg(page);

  await nav(page, 'Synchronisations');
  await expect(page.getByText('No synchronisations yet')).toBeVisible();
  await expect(page.getByRole('link', { name: 'create a source' })).toBeVisible();
  await shot(page, 'synchronisations-empty');

  await createPeopleSetup(page, orgId, peer.url);
  await page.reload();
  await page.getByRole('link', { name: 'New synchronisation' }).click();
  await expect(page.getByRole('heading', { name: 'New synchronisation' })).toBeVisible();

  await page.getByLabel('Name *').fill(syncName);
  await combobox(page, 'Source *').selectOption({ label: 'People API (rest)' });
  await page.getByLabel('Endpoint').fill('/people?_page=1&_limit=20');
  await combobox(page, 'Pagination').selectOption({ label: 'Page numbers' });
  await expect(page.getByLabel('Page size parameter')).toBeVisible();
  await combobox(page, 'Pagination').selectOption({ label: 'Link header' });
  await expect(page.getByLabel('Page size parameter')).toHaveCount(0);
  const conditions = page.getByLabel('Conditions (JSON Logic)');
  await conditions.fill('{"==": [');
  await expect(page.getByText(/Not valid JSON/)).toBeVisible();
  await conditions.fill('');
  await combobox(page, 'Mapping').first().selectOption({ label: 'Person' });
  await combobox(page, 'Register *').selectOption({ label: 'Directory' });
  await combobox(page, 'Schema *').selectOption({ label: 'Person' });

  const cron = page.getByLabel('Cron expression');
  const described = page.getByTestId('schedule-description');
  await cron.fill('61 * * * *');
  await expect(described).toContainText(/not a valid cron expression/i);
  await cron.fill('0 3 * * *');
  await expect(described).toContainText(/03:00/);
  await expect(described).toContainText('Next runs, in your time (');
  await shot(page, 'synchronisation-form');
  // No schedule for this test: it runs on request only.
  await cron.fill('');
  await page.getByRole('button', { name: 'Create synchronisation' }).click();

  await expect(page.getByRole('heading', { name: syncName })).toBeVisible();
  const syncPath = new URL(page.url()).pathname;
  const syncId = syncPath.split('/').pop()!;
  await expect(page.getByText('Link header')).toBeVisible();

  // Editing: the API's refusal is shown at the top and beside the field it names; the form's own
  // checks too; a valid change is saved.
  await page.getByRole('link', { name: 'Edit' }).click();
  await expect(page.getByRole('heading', { name: 'Edit synchronisation' })).toBeVisible();
  const idField = page.getByLabel('Id field');
  await expect(idField).toHaveValue('id');
  await idField.fill('a..b');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'Not saved' })).toContainText('empty segment');
  await expect(page.getByTestId('field-error')).toContainText('empty segment');
  await shot(page, 'synchronisation-edit-error');
  await idField.fill('id');
  await page.getByLabel('Max pages').fill('many');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('field-error')).toContainText('whole number');
  await page.getByLabel('Max pages').fill('100');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('heading', { name: syncName })).toBeVisible();
  await expect(page.getByText('100', { exact: true })).toBeVisible();

  // Run now: the progress moves to finished.
  await page.getByRole('button', { name: 'Run now' }).click();
  const progress = page.getByTestId('run-progress');
  await expect(progress).toBeVisible();
  await shot(page, 'synchronisation-running');
  await expect(progress.getByText('Success')).toBeVisible({ timeout: 90_000 });
  await expect(progress.getByTestId('count-created')).toHaveText(String(COUNT));
  await expect(progress.getByTestId('run-summary')).toContainText(`${COUNT} objects processed`);
  await expect(page.getByTestId('recent-run')).toHaveCount(1);
  await shot(page, 'synchronisation-finished');
  const logHref = await progress.getByRole('link', { name: 'Open the log' }).getAttribute('href');
  expect(logHref).toMatch(new RegExp(`^${orgPath}/logs/run_`));

  // Two thirds vanish from the source: the run holds the deletions; approving deletes them.
  for (let id = 1; id <= 400; id++) await fetch(`${peer.url}/people/${id}`, { method: 'DELETE' });
  await page.getByRole('button', { name: 'Run now' }).click();
  const held = page.getByTestId('held-deletions');
  await expect(held).toContainText('400 deletions waiting for approval', { timeout: 90_000 });
  await shot(page, 'synchronisation-held');
  await held.getByRole('button', { name: /Approve/ }).click();
  await page
    .getByRole('alertdialog', { name: 'Delete 400 objects in the target?' })
    .getByRole('button', { name: 'Approve deletions' })
    .click();
  await expect(progress.getByTestId('count-deleted')).toHaveText('400', { timeout: 60_000 });
  await expect(held).toHaveCount(0);

  // The webhook: enabled with a token shown once; a pushed object is accepted.
  await page.getByRole('button', { name: 'Enable webhook' }).click();
  const token = await page.getByLabel('Webhook token').inputValue();
  expect(token).toMatch(/^whk_/);
  await expect(page.getByLabel('Webhook URL')).toHaveValue(new RegExp(`/api/webhooks/${syncId}$`));
  const pushed = await page.request.post(`/api/webhooks/${syncId}`, {
    headers: { 'x-concord-token': token },
    data: { id: 9001, name: 'Pushed Person', email: 'pushed@example.test' },
  });
  expect(pushed.status()).toBe(202);
  await shot(page, 'synchronisation-webhook');

  await page.goto(logHref!);
  await expect(page).toHaveURL(/\/logs\/run_/);
  await shot(page, 'synchronisation-log');

  // Settings: an API key, shown once, starts a run through the trigger endpoint; then revoked.
  await page.goto(`${orgPath}/settings`);
  await page.getByLabel('Key name').fill('CI');
  // Starting runs is the key's "Run" scope (a new key reads only, unless given more).
  await page.getByRole('checkbox', { name: /^Run/ }).check();
  await page.getByRole('button', { name: 'Create API key' }).click();
  const key = await page.getByLabel('API key', { exact: true }).inputValue();
  expect(key).toMatch(/^cnc_/);
  await expect(page.getByLabel('Try it')).toHaveValue(/Authorization: Bearer cnc_/);
  const triggered = await page.request.post(`/api/syncs/${syncId}/run`, {
    headers: { authorization: `Bearer ${key}` },
    data: { test: true },
  });
  expect(triggered.status()).toBe(202);
  await shot(page, 'settings-api-keys');
  await page.getByTestId('api-key-CI').getByRole('button', { name: 'Revoke' }).click();
  await page
    .getByRole('alertdialog', { name: /^Revoke the key CI\?/ })
    .getByRole('button', { name: 'Revoke' })
    .click();
  await expect(page.getByTestId('api-key-CI')).toContainText('Revoked');
  const refused = await page.request.post(`/api/syncs/${syncId}/run`, {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(refused.status()).toBe(401);

  // The list shows the synchronisation with its last result.
  await page.goto(`${orgPath}/synchronisations`);
  await expect(page.getByTestId(`sync-${syncName}`)).toBeVisible();
  await shot(page, 'synchronisations-list');
  await page.setViewportSize({ width: 820, height: 1180 });
  await page.goto(syncPath);
  await expect(page.getByRole('button', { name: 'Run now' })).toBeVisible();
  await shot(page, 'synchronisation-tablet');

  // A viewer sees the synchronisation and changes nothing.
  const invitation = await mutate<{ path: string }>(page, 'members.invite', { orgId, role: 'viewer' });
  await signOut(page);
  const vera = { name: 'Vera Viewer', email: `vera-${stamp}@example.test`, password: 'vera password 123' };
  await acceptInvitation(page, invitation.path, vera);
  await expect(page.getByTestId('signed-in-as')).toHaveText('Vera Viewer · viewer');
  await page.goto(syncPath);
  await expect(page.getByRole('heading', { name: syncName })).toBeVisible();
  await expect(page.getByText('Directory › Person')).toBeVisible();
  await expect(page.getByTestId('recent-run').first()).toBeVisible();
  for (const name of [
    'Run now',
    'Test (dry run)',
    'Force',
    'Disable',
    'Delete',
    'New token',
    'Disable webhook',
  ])
    await expect(page.getByRole('button', { name, exact: true })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Edit' })).toHaveCount(0);
  await shot(page, 'synchronisation-viewer');
  await page.goto(`${orgPath}/synchronisations`);
  await expect(page.getByTestId(`sync-${syncName}`)).toBeVisible();
  await expect(page.getByRole('link', { name: 'New synchronisation' })).toHaveCount(0);
  await page.goto(`${orgPath}/synchronisations/new`);
  await expect(page.getByRole('heading', { name: 'No access to New synchronisation' })).toBeVisible();
  await page.goto(`${orgPath}/settings`);
  await expect(page.getByRole('heading', { name: 'Settings' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'API keys' })).toHaveCount(0);
});
