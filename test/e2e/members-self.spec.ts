// An admin on the members page, acting on their own row: making themselves a viewer asks first (they
// would no longer manage members) and then takes them to the overview — not to a page answering that
// their role does not allow it; removing themselves is leaving, and takes them out of the organisation.
import { expect, test } from '@playwright/test';
import { acceptInvitation, createInvitationLink, mainNav, nav, signOut, signUp } from './helpers';

const stamp = Date.now().toString(36);
const person = (name: string) => ({
  name,
  email: `${name.toLowerCase()}-${stamp}@example.test`,
  password: `${name.toLowerCase()} password 1`,
});
const owner = person('Olga');
const ada = person('Ada');
const bob = person('Bob');
const orgName = `Self Service ${stamp}`;

test('an admin demoting or removing themselves is asked, then taken where they still may go', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signUp(page, owner, orgName);
  await expect(page.getByRole('heading', { name: orgName })).toBeVisible();
  const orgPath = new URL(page.url()).pathname;
  await nav(page, 'Members');
  const adaLink = await createInvitationLink(page, 'admin');
  await page.getByRole('button', { name: 'Create invitation link' }).click();
  await expect(page.getByLabel('Invitation link')).not.toHaveValue(adaLink);
  const bobLink = await page.getByLabel('Invitation link').inputValue();
  await signOut(page);

  await acceptInvitation(page, adaLink, ada);
  await expect(page).toHaveURL(new RegExp(`${orgPath}$`));
  await nav(page, 'Members');
  const own = page.getByTestId(`member-${ada.email}`);
  await expect(own.getByRole('button', { name: 'Leave' })).toBeVisible();
  await expect(
    page.getByTestId(`member-${owner.email}`).getByRole('button', { name: 'Remove' }),
  ).toBeVisible();
  // Asked, and declined: nothing changes.
  page.once('dialog', (d) => void d.dismiss());
  await page.getByLabel(`Role of ${ada.email}`).selectOption('viewer');
  await expect(page.getByLabel(`Role of ${ada.email}`)).toHaveValue('admin');
  // Asked, and accepted: a viewer now, on the overview, without the members page.
  page.once('dialog', (d) => {
    expect(d.message()).toMatch(/^Make yourself viewer\? You will no longer manage members/);
    void d.accept();
  });
  await page.getByLabel(`Role of ${ada.email}`).selectOption('viewer');
  await expect(page).toHaveURL(new RegExp(`${orgPath}$`));
  await expect(page.getByTestId('signed-in-as')).toHaveText(`${ada.name} · viewer`);
  await expect(mainNav(page).getByRole('link', { name: 'Members' })).toHaveCount(0);
  await signOut(page);

  await acceptInvitation(page, bobLink, bob);
  await expect(page).toHaveURL(new RegExp(`${orgPath}$`));
  await nav(page, 'Members');
  await page.getByTestId(`member-${bob.email}`).getByRole('button', { name: 'Leave' }).click();
  const dialog = page.getByRole('alertdialog', { name: `Leave ${orgName}?` });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Leave' }).click();
  await expect(page).not.toHaveURL(new RegExp(orgPath));
  const response = await page.goto(orgPath);
  expect(response?.status()).toBe(404);
});
