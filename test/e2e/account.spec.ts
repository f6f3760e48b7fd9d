// The account page: a person signed in in two browsers changes their password in one, and the other is
// signed out on its next page; "sign out everywhere else" likewise; "sign out everywhere" ends this one.
import { expect, test, type Page } from '@playwright/test';
import { shot, signIn, signUp } from './helpers';

const stamp = Date.now().toString(36);

const openAccount = async (page: Page) => {
  await page.getByTestId('signed-in-as').click();
  await expect(page).toHaveURL(/\/account$/);
  await expect(page.getByRole('heading', { name: 'Your account' })).toBeVisible();
};

test('changing the password and signing out elsewhere end the other browser’s session', async ({
  page,
  browser,
}) => {
  const person = {
    name: 'Ada Account',
    email: `ada-${stamp}@example.test`,
    password: 'quiet harbour lantern 42',
  };
  const newPassword = 'orchard pebble violin 97';
  await signUp(page, person, `Account ${stamp}`);
  await expect(page).toHaveURL(/\/o\/account-/);
  const home = new URL(page.url()).pathname;

  // The same person in a second browser.
  const other = await browser.newContext();
  const elsewhere = await other.newPage();
  await signIn(elsewhere, person.email, person.password);
  await expect(elsewhere).toHaveURL(new RegExp(`${home}$`));

  // The browser's view of its session names no session (the account page uses handles).
  const browserSession = await (await page.request.get('/api/auth/session')).json();
  expect(browserSession).toMatchObject({ user: { email: person.email } });
  expect(browserSession).not.toHaveProperty('sessionId');
  expect(browserSession).not.toHaveProperty('userId');

  await openAccount(page);
  await expect(page.getByLabel('Name')).toHaveValue(person.name);
  const sessions = page.getByTestId('session');
  await expect(sessions).toHaveCount(2);
  await expect(sessions.filter({ hasText: 'This browser' })).toHaveCount(1);
  await shot(page, 'account');

  // A wrong current password changes nothing.
  await page.getByLabel('Current password').fill('not my password at all');
  await page.getByLabel(/^New password/).fill(newPassword);
  await page.getByLabel('Confirm new password').fill(newPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('That is not your current password.')).toBeVisible();
  await elsewhere.goto(home);
  await expect(elsewhere).toHaveURL(new RegExp(`${home}$`));

  await page.getByLabel('Current password').fill(person.password);
  await page.getByLabel(/^New password/).fill(newPassword);
  await page.getByLabel('Confirm new password').fill(newPassword);
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByRole('status').filter({ hasText: '1 other session was signed out' })).toBeVisible();
  await expect(sessions).toHaveCount(1);

  // The other browser is signed out on its next page; this one is not.
  await elsewhere.goto(home);
  await expect(elsewhere).toHaveURL(/\/sign-in/);
  await page.goto(home);
  await expect(page).toHaveURL(new RegExp(`${home}$`));

  // The old password no longer signs in; the new one does.
  await signIn(elsewhere, person.email, person.password);
  await expect(elsewhere.getByText('That email and password do not match an account.')).toBeVisible();
  await signIn(elsewhere, person.email, newPassword);
  await expect(elsewhere).toHaveURL(new RegExp(`${home}$`));

  // "Sign out everywhere else" ends the other browser's new session and keeps this one.
  await openAccount(page);
  await expect(sessions).toHaveCount(2);
  await page.getByRole('button', { name: 'Sign out everywhere else' }).click();
  await page.getByTestId('confirm-action').click();
  await expect(sessions).toHaveCount(1);
  await elsewhere.goto(home);
  await expect(elsewhere).toHaveURL(/\/sign-in/);
  await page.goto(home);
  await expect(page).toHaveURL(new RegExp(`${home}$`));

  // "Sign out everywhere" ends this browser's session too.
  await openAccount(page);
  await page.getByRole('button', { name: 'Sign out everywhere', exact: true }).click();
  await page.getByTestId('confirm-action').click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto(home);
  await expect(page).toHaveURL(/\/sign-in/);
  await other.close();
});
