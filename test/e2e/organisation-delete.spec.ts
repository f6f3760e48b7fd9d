// Deleting an organisation from Settings: the owner types its name, lands on their other organisation,
// the organisation's API key answers 401; deleting the last one leads to the page to create one.
import { expect, test, type Page } from '@playwright/test';
import { mutate, shot, signUp } from './helpers';

const stamp = Date.now().toString(36);

async function deleteFromSettings(page: Page, slug: string, name: string) {
  await page.goto(`/o/${slug}/settings`);
  const card = page.getByRole('form', { name: 'Delete organisation' });
  await expect(card).toContainText('API keys (they stop working at once)');
  const confirm = card.getByLabel(`Type the organisation's name, ${name}, to confirm`);
  const button = card.getByRole('button', { name: `Delete ${name}` });
  // Nearly the name is not the name.
  await confirm.fill(name.toLowerCase());
  await expect(button).toBeDisabled();
  await confirm.fill(name);
  await shot(page, 'organisation-delete');
  await button.click();
}

test('an owner deletes an organisation and lands on another of theirs, then on the page to create one', async ({
  page,
}) => {
  const keep = `Keep ${stamp}`;
  await signUp(
    page,
    { name: 'Olga Owner', email: `olga-${stamp}@example.test`, password: 'quiet harbour lantern 42' },
    keep,
  );
  await expect(page).toHaveURL(/\/o\/keep-/);
  const keepSlug = new URL(page.url()).pathname.split('/')[2]!;

  const stray = `Stray ${stamp}`;
  const { orgId, orgSlug } = await mutate<{ orgId: string; orgSlug: string }>(
    page,
    'account.createOrganisation',
    {
      name: stray,
    },
  );
  const { key } = await mutate<{ key: string }>(page, 'apiKeys.create', {
    orgId,
    name: 'ci',
    scopes: ['read'],
  });
  const registers = () =>
    page.request.get('/api/v1/registers', { headers: { authorization: `Bearer ${key}` } });
  expect((await registers()).status()).toBe(200);

  await deleteFromSettings(page, orgSlug, stray);
  await expect(page).toHaveURL(new RegExp(`/o/${keepSlug}$`));
  expect((await registers()).status()).toBe(401);
  await page.goto(`/o/${orgSlug}/settings`);
  await expect(page.getByRole('heading', { name: 'Settings' })).toHaveCount(0);

  await deleteFromSettings(page, keepSlug, keep);
  await expect(page).toHaveURL(/\/orgs\/new$/);
});
