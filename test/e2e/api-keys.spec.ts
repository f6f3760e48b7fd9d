// API keys as an owner manages them in Settings, and as the program holding one feels it: a key made
// with the Read scope and an expiry reads through /api/v1 and is refused a change (403, a problem
// document); its last use shows in the list; rotating with a grace period keeps the old secret working
// for that period, rotating with none stops it at once; the API reference page lists the operations
// with their scopes; a revoked key gets 401.
import { expect, test, type Page } from '@playwright/test';
import { currentOrg, shot, signUp } from './helpers';

const stamp = Date.now().toString(36);

/** What /api/v1 answers a program calling with `key`. */
async function call(page: Page, method: 'GET' | 'POST', path: string, key: string, data?: unknown) {
  const res = await page.request.fetch(`/api/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${key}` },
    ...(data === undefined ? {} : { data }),
  });
  return { status: res.status(), type: res.headers()['content-type'], body: (await res.json()) as unknown };
}

test('an API key: scopes, expiry, last use, rotation with and without grace, the reference, revocation', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const kim = { name: 'Kim Keys', email: `kim-${stamp}@example.test`, password: 'kim password 123' };
  await signUp(page, kim, `Keyholders ${stamp}`);
  await expect(page).toHaveURL(/\/o\/keyholders-/);
  const { path: orgPath, id: orgId } = await currentOrg(page);

  // A read-only key that stops at the end of 2099.
  await page.goto(`${orgPath}/settings`);
  await page.getByLabel('Key name').fill('Reporting');
  await page.getByLabel('Expires (optional)').fill('2099-12-31');
  await expect(page.getByRole('checkbox', { name: /^Read/ })).toBeChecked();
  await expect(page.getByRole('checkbox', { name: /^Write/ })).not.toBeChecked();
  await page.getByRole('button', { name: 'Create API key' }).click();
  const first = await page.getByLabel('API key', { exact: true }).inputValue();
  expect(first).toMatch(/^cnc_/);
  await expect(page.getByLabel('Try it')).toHaveValue(
    new RegExp(`Authorization: Bearer ${first}" http://[^ ]+/api/v1/registers$`),
  );
  const row = page.getByTestId('api-key-Reporting');
  await expect(row).toContainText('read');
  await expect(row).toContainText('2099');
  await expect(row.getByRole('cell').nth(5)).toHaveText('never');
  await shot(page, 'api-key-created');

  // The key reads; a change is outside its scope.
  expect(await call(page, 'GET', '/key', first)).toMatchObject({
    status: 200,
    body: { organisationId: orgId, scopes: ['read'] },
  });
  const registers = await call(page, 'GET', '/registers', first);
  expect(registers).toMatchObject({ status: 200, body: { items: [] } });
  const refused = await call(page, 'POST', '/registers', first, { name: 'Wells' });
  expect(refused.status).toBe(403);
  expect(refused.type).toBe('application/problem+json');
  expect(refused.body).toMatchObject({ status: 403, detail: expect.stringMatching(/write/i) });
  await page.reload();
  await expect(row.getByRole('cell').nth(5)).not.toHaveText('never');

  // Rotation with a grace period: the new secret works, and so does the old one for an hour.
  await page.getByLabel('On rotation, the old secret').selectOption({ label: 'works 1 more hour' });
  await row.getByRole('button', { name: 'Rotate' }).click();
  const apiKey = page.getByLabel('API key', { exact: true });
  await expect(apiKey).not.toHaveValue(first);
  const second = await apiKey.inputValue();
  expect(second).toMatch(/^cnc_/);
  expect((await call(page, 'GET', '/key', second)).status).toBe(200);
  expect((await call(page, 'GET', '/key', first)).status).toBe(200);

  // Rotation with none: the secret it replaces stops at once.
  await page.getByLabel('On rotation, the old secret').selectOption({ label: 'stops at once' });
  await row.getByRole('button', { name: 'Rotate' }).click();
  await expect(apiKey).not.toHaveValue(second);
  const third = await apiKey.inputValue();
  expect((await call(page, 'GET', '/key', third)).status).toBe(200);
  expect((await call(page, 'GET', '/key', second)).status).toBe(401);

  // The reference the card links to: every operation with the scope it needs.
  await page.getByRole('link', { name: 'API reference' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'API reference' })).toBeVisible();
  const listRegisters = page.locator('#listRegisters');
  await expect(listRegisters).toContainText('/registers');
  await expect(listRegisters).toContainText('scope: read');
  await expect(page.locator('#createRegister')).toContainText('scope: write');
  await shot(page, 'api-reference');

  // Revoked: refused at once, as a problem document.
  await page.goto(`${orgPath}/settings`);
  await row.getByRole('button', { name: 'Revoke' }).click();
  await page
    .getByRole('alertdialog', { name: /^Revoke the key Reporting\?/ })
    .getByRole('button', { name: 'Revoke' })
    .click();
  await expect(row).toContainText('Revoked');
  const revoked = await call(page, 'GET', '/key', third);
  expect(revoked.status).toBe(401);
  expect(revoked.type).toBe('application/problem+json');
});
