// Signing out ends the session, not only the cookie in this browser: someone who copied the session
// cookie before (another browser, a shared machine, a stolen cookie) is signed out too.
import { expect, test } from '@playwright/test';
import { signOut, signUp } from './helpers';

const stamp = Date.now().toString(36);

test('a session cookie copied before signing out no longer signs anyone in', async ({ page, browser }) => {
  await signUp(
    page,
    { name: 'Sol Session', email: `sol-${stamp}@example.test`, password: 'quiet harbour lantern 42' },
    `Sessions ${stamp}`,
  );
  await expect(page).toHaveURL(/\/o\/sessions-/);
  const home = new URL(page.url()).pathname;

  // The same cookie in another browser signs in as Sol, as long as Sol has not signed out.
  const copy = await browser.newContext();
  await copy.addCookies(await page.context().cookies());
  const elsewhere = await copy.newPage();
  await elsewhere.goto(home);
  await expect(elsewhere).toHaveURL(new RegExp(`${home}$`));
  await expect(elsewhere.getByRole('button', { name: 'Sign out' })).toBeVisible();

  await signOut(page);

  await elsewhere.goto(home);
  await expect(elsewhere).toHaveURL(/\/sign-in/);
  const answer = await elsewhere.request.get('/api/trpc/account.me');
  expect(answer.status()).toBe(401);
  await copy.close();
});
