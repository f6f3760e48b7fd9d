// A new person's first minutes: sign up, land in their organisation, invite a colleague by link as a
// viewer; the colleague joins and cannot open the members page; sign out and back in.
import { expect, test, type Page } from '@playwright/test';

const stamp = Date.now().toString(36);
const owner = { name: 'Olivia Owner', email: `olivia-${stamp}@example.test`, password: 'olivia password 1' };
const viewer = {
  name: 'Victor Viewer',
  email: `victor-${stamp}@example.test`,
  password: 'victor password 1',
};
const orgName = `Acme Water ${stamp}`;

async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

test('sign up, invite a viewer by link, viewer is kept out of members, sign back in', async ({ page }) => {
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill(owner.name);
  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password').fill(owner.password);
  await page.getByLabel('Organisation').fill(orgName);
  await shot(page, 'sign-up');
  await page.getByRole('button', { name: 'Create account' }).click();

  await expect(page.getByRole('heading', { name: orgName })).toBeVisible();
  await expect(page).toHaveURL(/\/o\/acme-water-/);
  const orgPath = new URL(page.url()).pathname;
  await expect(page.getByTestId('signed-in-as')).toHaveText(`${owner.name} · owner`);
  await shot(page, 'overview-owner');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Members' }).click();
  await expect(page.getByTestId(`member-${owner.email}`)).toBeVisible();
  await page.getByLabel('Role for the invitation').selectOption('viewer');
  await page.getByRole('button', { name: 'Create invitation link' }).click();
  const link = await page.getByLabel('Invitation link').inputValue();
  expect(link).toMatch(/\/invite\/inv_/);
  await shot(page, 'members');
  await signOut(page);

  await page.goto(link);
  await expect(page.getByText(`You are invited to ${orgName} as viewer`)).toBeVisible();
  await page.getByLabel('Your name').fill(viewer.name);
  await page.getByLabel('Email').fill(viewer.email);
  await page.getByLabel('Password').fill(viewer.password);
  await shot(page, 'invitation');
  await page.getByRole('button', { name: 'Create account and join' }).click();

  await expect(page).toHaveURL(new RegExp(`${orgPath}$`));
  await expect(page.getByTestId('signed-in-as')).toHaveText(`${viewer.name} · viewer`);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Overview' })).toBeVisible();
  await expect(nav.getByRole('link', { name: 'Members' })).toHaveCount(0);
  await page.goto(`${orgPath}/members`);
  await expect(page.getByRole('heading', { name: 'No access to Members' })).toBeVisible();
  await expect(page.getByTestId(`member-${owner.email}`)).toHaveCount(0);
  await shot(page, 'members-as-viewer');
  await signOut(page);

  await page.getByLabel('Email').fill(owner.email);
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert').filter({ hasText: 'do not match an account' })).toBeVisible();

  await page.getByLabel('Password').fill(owner.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('heading', { name: orgName })).toBeVisible();

  // A second organisation, and switching between the two.
  await page.getByLabel('Organisation').selectOption('+new');
  await page.getByLabel('Name').fill(`Second ${stamp}`);
  await page.getByRole('button', { name: 'Create organisation' }).click();
  await expect(page.getByRole('heading', { name: `Second ${stamp}` })).toBeVisible();
  await page.getByLabel('Organisation').selectOption({ label: orgName });
  await expect(page.getByRole('heading', { name: orgName })).toBeVisible();
  await page.goto(`${orgPath}/members`);
  await expect(page.getByTestId(`member-${viewer.email}`)).toBeVisible();
  await expect(page.getByLabel(`Role of ${viewer.email}`)).toHaveValue('viewer');
});

test('pages of an organisation are not found for people outside it', async ({ page }) => {
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill('Mallory');
  await page.getByLabel('Email').fill(`mallory-${stamp}@example.test`);
  await page.getByLabel('Password').fill('mallory password 1');
  await page.getByLabel('Organisation').fill(`Mallory ${stamp}`);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.getByRole('heading', { name: `Mallory ${stamp}` })).toBeVisible();
  const response = await page.goto(`/o/acme-water-${stamp}/members`);
  expect(response?.status()).toBe(404);
});
