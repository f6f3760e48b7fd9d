// Issue 11's acceptance in the browser, with the real two-way engine and nothing seeded: a person sets
// up a REST API (a json-server started here) ⇄ register synchronisation through the pages — source,
// register and schema, mapping, the two-way form with a manual conflict policy — and runs it. The same
// person is then edited in the register (its object dialog) and at the API (a PATCH from here); the
// next run finds the conflict, the queue shows base, source and target, the person picks the name from
// the source and the city from the register, and the resolution run writes the merged person to both
// sides.
// The server allows private URLs (playwright.config.ts) so it may call the local peer.
import { expect, test, type Page } from '@playwright/test';
import { combobox, jsonServerPeer, mainNav, nav, shot, signUp } from './helpers';

const stamp = Date.now().toString(36);
const crew = () => [
  { id: 1, name: 'Ada', email: 'ada@example.test', city: 'Leiden' },
  { id: 2, name: 'Bob', email: 'bob@example.test', city: 'Utrecht' },
  { id: 3, name: 'Cy', email: 'cy@example.test', city: 'Delft' },
];
const peer = jsonServerPeer(() => ({ people: crew() }));

const person = async (id: number) => (await (await fetch(`${peer.url}/people/${id}`)).json()) as unknown;

/** The run started with "Run now" on the synchronisation's page, followed until it ends. */
async function runNow(page: Page, result: 'Success' | 'Warning') {
  const progress = page.getByTestId('run-progress');
  // A finished earlier run is replaced by the new one's progress once it has started.
  await page.getByRole('button', { name: 'Run now' }).click();
  await expect(progress.getByText(result, { exact: true })).toBeVisible({ timeout: 60_000 });
  return progress;
}

/** Ada's object dialog on the schema's page. */
async function openAda(page: Page, schemaPath: string) {
  await page.goto(schemaPath);
  await page.getByRole('row').filter({ hasText: 'ada@example.test' }).getByRole('button').click();
  return page.getByRole('dialog');
}

test('a conflict found by a two-way run, resolved per field in the queue, written to both sides', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const mia = { name: 'Mia Manual', email: `mia-${stamp}@example.test`, password: 'mia password 123' };
  await signUp(page, mia, `Two Sides ${stamp}`);
  await expect(page.getByRole('heading', { name: `Two Sides ${stamp}` })).toBeVisible();

  // The REST source.
  await nav(page, 'Sources');
  await page.getByRole('link', { name: 'New source' }).click();
  await page.getByRole('radio', { name: /^REST API/ }).click();
  await page.getByLabel('Name', { exact: true }).fill('People API');
  await page.getByLabel('Base URL').fill(peer.url);
  await page.getByRole('button', { name: 'Create source' }).click();
  await expect(page.getByRole('heading', { name: 'People API' })).toBeVisible();

  // A register with a Person schema.
  await nav(page, 'Registers');
  await page.getByLabel('Register name').fill('Directory');
  await page.getByRole('button', { name: 'Create register' }).click();
  await page.getByTestId('register-Directory').getByRole('link', { name: '+ New schema' }).click();
  await page.getByLabel('Schema name').fill('Person');
  await page.getByLabel('JSON Schema', { exact: true }).fill(
    JSON.stringify({
      type: 'object',
      required: ['name', 'email'],
      properties: { name: { type: 'string' }, email: { type: 'string' }, city: { type: 'string' } },
    }),
  );
  await page.getByRole('button', { name: 'Create schema' }).click();
  await expect(page.getByRole('heading', { name: 'Person', level: 1 })).toBeVisible();
  const schemaPath = new URL(page.url()).pathname;

  // The mapping of the fields both sides hold.
  await nav(page, 'Mappings');
  await page.getByRole('link', { name: 'Create a mapping' }).click();
  await page.getByLabel('Mapping name').fill('Person');
  for (const [i, field] of ['name', 'email', 'city'].entries()) {
    if (i > 0) await page.getByRole('button', { name: '+ Add key' }).click();
    await page.getByLabel(`Output key ${i + 1}`, { exact: true }).fill(field);
    await page.getByLabel(`Value ${i + 1}`, { exact: true }).fill(field);
  }
  await page.getByRole('button', { name: 'Create mapping' }).click();
  await expect(page.getByRole('heading', { name: 'Person' })).toBeVisible();

  // The synchronisation: two-way, a person decides conflicts.
  await nav(page, 'Synchronisations');
  await page.getByRole('link', { name: 'New synchronisation' }).click();
  await page.getByLabel('Name *').fill('People both ways');
  await combobox(page, 'Source *').selectOption({ label: 'People API (rest)' });
  await page.getByLabel('Endpoint', { exact: true }).fill('/people');
  await combobox(page, 'Mapping').first().selectOption({ label: 'Person' });
  await combobox(page, 'Register *').selectOption({ label: 'Directory' });
  await combobox(page, 'Schema *').selectOption({ label: 'Person' });
  await combobox(page, 'Direction').selectOption({ label: 'Two-way: source ⇄ register' });
  await page.getByRole('radio', { name: /^Manual/ }).check();
  await page.getByRole('button', { name: 'Create synchronisation' }).click();
  await expect(page.getByRole('heading', { name: 'People both ways' })).toBeVisible();
  const syncPath = new URL(page.url()).pathname;

  // The first run copies the people into the register.
  const first = await runNow(page, 'Success');
  await expect(first.getByTestId('count-created')).toHaveText('3');
  await page.goto(schemaPath);
  for (const email of ['ada@example.test', 'bob@example.test', 'cy@example.test'])
    await expect(page.getByRole('row').filter({ hasText: email })).toBeVisible();

  // Ada changes on both sides: her city in the register; her city and name, differently, at the API.
  const dialog = await openAda(page, schemaPath);
  await dialog.getByRole('button', { name: 'Edit' }).click();
  await dialog.getByLabel('city', { exact: true }).fill('Paris');
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await expect(dialog.getByTestId('object-json')).toContainText('"city": "Paris"');
  await expect(dialog.getByTestId('object-changed')).toContainText(`by ${mia.name}`);
  const patched = await fetch(`${peer.url}/people/1`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Ada L.', city: 'Berlin' }),
  });
  expect(patched.ok).toBe(true);

  // The next run writes nothing to Ada and reports the conflict; the navigation counts it.
  await page.goto(syncPath);
  const second = await runNow(page, 'Warning');
  await expect(second.getByTestId('count-updated')).toHaveText('0');
  const conflictsLink = mainNav(page).getByRole('link', { name: /^Conflicts/ });
  await expect(conflictsLink.getByTestId('open-conflicts')).toHaveText('1');
  await second.getByRole('link', { name: 'Open the log' }).click();
  const entry = page.getByTestId('run-entry');
  await expect(entry).toHaveCount(1);
  await expect(entry.getByText('conflict', { exact: true })).toBeVisible();
  await expect(entry).toContainText('1');
  await shot(page, 'two-way-conflict-log');
  expect(await person(1)).toEqual({ id: 1, name: 'Ada L.', email: 'ada@example.test', city: 'Berlin' });

  // The queue: base, source and target side by side.
  await nav(page, 'Conflicts');
  const row = page.getByTestId('conflict-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('People both ways');
  await expect(row).toContainText('Both sides changed');
  await row.getByRole('link', { name: 'Conflict on object 1' }).click();
  await expect(page.getByRole('heading', { name: 'Conflict on object 1' })).toBeVisible();
  await expect(page.getByText('conflict policy: manual (a person decides)')).toBeVisible();
  const table = page.getByTestId('three-way-table');
  for (const column of ['Base (last synchronised)', 'Source', 'Target'])
    await expect(table.getByRole('columnheader', { name: column, exact: true })).toBeVisible();
  const field = (path: string) => table.locator(`[data-testid="field-row"][data-path="${path}"]`);
  const cells = (path: string) => field(path).getByRole('cell');
  await expect(cells('name')).toHaveText(['"Ada"', '"Ada L."', '"Ada"']);
  await expect(cells('city')).toHaveText(['"Leiden"', '"Berlin"', '"Paris"']);
  await expect(cells('email')).toHaveText(Array(3).fill('"ada@example.test"'));
  await expect(field('city')).toHaveAttribute('data-conflicting', 'true');
  await expect(field('name')).not.toHaveAttribute('data-conflicting');

  // The name from the source (where it changed), the city from the register.
  await expect(page.getByRole('radio', { name: "Keep the source's “name”" })).toBeChecked();
  await page.getByRole('radio', { name: "Keep the target's “city”" }).check();
  await expect(page.getByText(/Nothing is written until the next run of the synchronisation/)).toBeVisible();
  await shot(page, 'two-way-conflict-picked');
  await page.getByRole('button', { name: 'Apply picked fields' }).click();

  // The resolution run starts at once; it may already have written both sides when the page refreshes.
  const status = page.getByTestId('conflict-status');
  await expect(status).toContainText(
    /Will be written to both sides by the next run\.|Written to both sides\./,
  );
  const merged = { name: 'Ada L.', email: 'ada@example.test', city: 'Paris' };
  await expect(page.getByTestId('merged-object')).toContainText('"name": "Ada L."');
  expect(JSON.parse(await page.getByTestId('merged-object').innerText())).toEqual(merged);
  await expect(status).toContainText('Resolved', { timeout: 60_000 });
  await expect(status).toContainText('Written to both sides.');
  // Fields picked from both sides: no whole version lost, so none is offered as "kept below".
  await expect(page.getByText('The version that lost')).toHaveCount(0);
  await expect(status).not.toContainText('kept below');
  await expect(conflictsLink.getByTestId('open-conflicts')).toHaveCount(0);
  await shot(page, 'two-way-conflict-resolved');

  // Its run is the "Conflict resolved" one, and it succeeded.
  await status.getByRole('link', { name: 'Open the run’s log' }).click();
  await expect(page).toHaveURL(/\/logs\/run_/);
  await expect(page.getByText('Conflict resolved')).toBeVisible();
  await expect(page.getByText('Success', { exact: true }).first()).toBeVisible();

  // Both sides hold the merged person.
  await expect.poll(() => person(1), { timeout: 10_000 }).toEqual({ id: 1, ...merged });
  const after = await openAda(page, schemaPath);
  await expect(after.getByTestId('object-json')).toContainText('"name": "Ada L."');
  expect(JSON.parse(await after.getByTestId('object-json').innerText())).toEqual(merged);
  await expect(after.getByTestId('object-changed')).toContainText('by the synchronisation People both ways');
  await after.getByRole('button', { name: 'Close' }).click();

  // The queue keeps it as resolved.
  await nav(page, 'Conflicts');
  await expect(page.getByText('No open conflicts')).toBeVisible();
  await page.getByRole('combobox', { name: 'Status' }).selectOption('resolved');
  await expect(page.getByTestId('conflict-row')).toHaveCount(1);
  await expect(page.getByTestId('conflict-row')).toContainText('Resolved');
});
