// Two-way in the browser: a person makes a synchronisation between a REST API (a json-server started
// here) and a register schema two-way through the form — conflict policy, source of truth, objects only
// in the register, matching and updated-at fields, write-back requests with their defaults shown — and
// sees the policies in words on its page and again in its edit form. And the trap of issue 11: creating
// the push opposite an existing pull is refused beside the target, with the proposal to make the pull
// two-way.
// The server allows private URLs (playwright.config.ts) so it may call the local peer.
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
const peer = jsonServerPeer(() => ({ people: people(4) }));

const fieldError = (page: Page, text: string | RegExp) =>
  page.getByTestId('field-error').filter({ hasText: text });

test('a two-way synchronisation made through the form, its policies on its page', async ({ page }) => {
  test.setTimeout(120_000);
  const tess = { name: 'Tess Twoway', email: `tess-${stamp}@example.test`, password: 'tess password 123' };
  await signUp(page, tess, `Both Ways ${stamp}`);
  await expect(page).toHaveURL(/\/o\/both-ways-/);
  const org = await currentOrg(page);
  await createPeopleSetup(page, org.id, peer.url);
  await mutate(page, 'mappings.create', {
    orgId: org.id,
    name: 'Person out',
    config: { mapping: { name: 'name', email: 'email', 'address.city': 'city' } },
  });

  await page.goto(`${org.path}/synchronisations/new`);
  await page.getByLabel('Name *').fill('People both ways');
  await combobox(page, 'Source *').selectOption({ label: 'People API (rest)' });
  await page.getByLabel('Endpoint', { exact: true }).fill('/people?_page=1&_limit=20');
  await combobox(page, 'Pagination').selectOption({ label: 'Link header' });
  await combobox(page, 'Mapping').first().selectOption({ label: 'Person' });
  await combobox(page, 'Register *').selectOption({ label: 'Directory' });
  await combobox(page, 'Schema *').selectOption({ label: 'Person' });

  // Two-way is offered for a REST source into a register schema; its settings appear once chosen.
  await expect(page.getByRole('radio', { name: /^Newer wins/ })).toHaveCount(0);
  await combobox(page, 'Direction').selectOption({ label: 'Two-way: source ⇄ register' });
  await expect(page.getByRole('radio', { name: /^Manual/ })).toBeChecked();
  await expect(page.getByText('The register’s version is written back to the source.')).toBeVisible();
  await page.getByRole('radio', { name: /^Newer wins/ }).check();
  await page.getByLabel('Updated-at field in the source').fill('updatedAt');
  await page.getByLabel('Updated-at field in the register').fill('updatedAt');
  await combobox(page, 'Source of truth').selectOption({ label: 'The register' });
  await combobox(page, 'Objects only in the register').selectOption({ label: 'Add them to the source' });
  await page.getByLabel('Matching field in the source').fill('email');
  await page.getByLabel('Matching field in the register').fill('email');
  // The write-back requests default to where the API is listed, shown as placeholders.
  await expect(page.getByLabel('Write-back create endpoint')).toHaveAttribute('placeholder', '/people');
  await expect(page.getByLabel('Write-back update endpoint')).toHaveAttribute(
    'placeholder',
    '/people/{{targetId}}',
  );
  await combobox(page, 'Write-back update method').selectOption('PATCH');
  await combobox(page, 'Write-back mapping').selectOption({ label: 'Person out' });
  // Two-way creates and updates on both sides: the write mode is fixed.
  await expect(combobox(page, 'Write mode')).toBeDisabled();
  await shot(page, 'two-way-form');
  await page.getByRole('button', { name: 'Create synchronisation' }).click();

  await expect(page.getByRole('heading', { name: 'People both ways' })).toBeVisible();
  await expect(page.getByTestId('two-way-sides')).toContainText('People API ⇄ Directory › Person');
  await expect(page.getByText(/^Newer wins: the version with the later updated-at time/)).toBeVisible();
  await expect(page.getByText('The register (Directory › Person)')).toBeVisible();
  await expect(page.getByText('Add them to the source')).toBeVisible();
  await expect(page.getByText(/POST \/people · PATCH \/people\/\{\{targetId\}\} · DELETE/)).toBeVisible();
  await expect(page.getByText('two-way: the source ⇄ the register')).toBeVisible();
  await shot(page, 'two-way-detail');

  // The edit form keeps what was saved; an empty write-back field still follows the default.
  await page.getByRole('link', { name: 'Edit' }).click();
  await expect(combobox(page, 'Direction')).toHaveValue('two-way');
  await expect(page.getByRole('radio', { name: /^Newer wins/ })).toBeChecked();
  await expect(combobox(page, 'Write-back update method')).toHaveValue('PATCH');
  await expect(page.getByLabel('Write-back create endpoint')).toHaveValue('');
  await expect(page.getByLabel('Matching field in the register')).toHaveValue('email');
});

test('the push opposite an existing pull is refused, proposing to make the pull two-way', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const olly = { name: 'Olly Opposite', email: `olly-${stamp}@example.test`, password: 'olly password 123' };
  await signUp(page, olly, `Opposite ${stamp}`);
  await expect(page).toHaveURL(/\/o\/opposite-/);
  const org = await currentOrg(page);
  const setup = await createPeopleSetup(page, org.id, peer.url);
  await createPeopleSync(page, setup, {
    name: 'People into the directory',
    sourceEndpoint: '/people',
    sourceConfig: {},
  });
  await mutate(page, 'sources.create', {
    orgId: org.id,
    name: 'Directory people',
    type: 'register',
    config: { registerId: setup.registerId, schemaId: setup.schemaId },
  });

  await page.goto(`${org.path}/synchronisations/new`);
  await page.getByLabel('Name *').fill('Directory to the People API');
  await combobox(page, 'Source *').selectOption({ label: 'Directory people (register)' });
  // A register source cannot be two-way: no Direction choice.
  await expect(combobox(page, 'Direction')).toHaveCount(0);
  await combobox(page, 'Write to').selectOption({ label: 'A REST API or SQL database (a source)' });
  await combobox(page, 'Target source *').selectOption({ label: 'People API (rest)' });
  await page.getByLabel('Create endpoint', { exact: true }).fill('/people');
  await page.getByLabel('Update endpoint', { exact: true }).fill('/people/{{targetId}}');
  await page.getByRole('button', { name: 'Create synchronisation' }).click();

  await expect(
    fieldError(
      page,
      '“People into the directory” already copies “People API” to the schema Directory › Person, and this synchronisation copies them back',
    ),
  ).toBeVisible();
  await expect(
    fieldError(page, /Make “People into the directory” two-way instead of adding this synchronisation/),
  ).toBeVisible();
  await expect(page.getByText(/^Not saved: .*duplicating records every round/)).toBeVisible();
  await shot(page, 'two-way-trap-refused');
  await expect(page).toHaveURL(/\/synchronisations\/new$/);
});
