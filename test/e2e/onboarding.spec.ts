// A new person's first minutes: sign up, land in their organisation, invite a colleague by link as a
// viewer; the colleague joins and cannot open the members page; sign out and back in.
import { expect, test } from '@playwright/test';
import { acceptInvitation, createInvitationLink, mainNav, nav, shot, signOut, signUp } from './helpers';

const stamp = Date.now().toString(36);
const owner = { name: 'Olivia Owner', email: `olivia-${stamp}@example.test`, password: 'olivia password 1' };
const viewer = {
  name: 'Victor Viewer',
  email: `victor-${stamp}@example.test`,
  password: 'victor password 1',
};
const orgName = `Acme Water ${stamp}`;

test('sign up, invite a viewer by link, viewer is kept out of members, sign back in', async ({ page }) => {
  await signUp(page, owner, orgName, { beforeSubmit: () => shot(page, 'sign-up') });

  await expect(page.getByRole('heading', { name: orgName })).toBeVisible();
  await expect(page).toHaveURL(/\/o\/acme-water-/);
  const orgPath = new URL(page.url()).pathname;
  await expect(page.getByTestId('signed-in-as')).toHaveText(`${owner.name} · owner`);
  await shot(page, 'overview-owner');

  await nav(page, 'Members');
  await expect(page.getByTestId(`member-${owner.email}`)).toBeVisible();
  const link = await createInvitationLink(page, 'viewer');
  expect(link).toMatch(/\/invite\/inv_/);
  await shot(page, 'members');
  await signOut(page);

  await acceptInvitation(page, link, viewer, {
    beforeSubmit: async () => {
      await expect(page.getByText(`You are invited to ${orgName} as viewer`)).toBeVisible();
      await shot(page, 'invitation');
    },
  });

  await expect(page).toHaveURL(new RegExp(`${orgPath}$`));
  await expect(page.getByTestId('signed-in-as')).toHaveText(`${viewer.name} · viewer`);
  await expect(mainNav(page).getByRole('link', { name: 'Overview' })).toBeVisible();
  await expect(mainNav(page).getByRole('link', { name: 'Members' })).toHaveCount(0);
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
  const mallory = { name: 'Mallory', email: `mallory-${stamp}@example.test`, password: 'mallory password 1' };
  await signUp(page, mallory, `Mallory ${stamp}`);
  await expect(page.getByRole('heading', { name: `Mallory ${stamp}` })).toBeVisible();
  const response = await page.goto(`/o/acme-water-${stamp}/members`);
  expect(response?.status()).toBe(404);
});
