// An SQL source in the browser: a PostgreSQL source made with the form (dialect, host, port, database,
// user, timeout), its connection test with a table's columns and first row, a synchronisation whose
// table, key column and page size are set in the form, run from its page: every row becomes an object.
// Needs PostgreSQL on 127.0.0.1:5432 (trust, database test); the server allows private addresses.
import { expect, test } from '@playwright/test';
import { createPeople, postgresPeer, type SqlPeer } from '../integration/helpers/sql-peers';
import { combobox, currentOrg, mutate, nav, PERSON_JSON_SCHEMA, shot, signUp } from './helpers';

const stamp = Date.now().toString(36);
let peer: SqlPeer;
let table: string;

test.beforeAll(async () => {
  peer = await postgresPeer();
  table = await createPeople(peer, 9);
});
test.afterAll(async () => {
  await peer?.dropAll();
  await peer?.close();
});

test('an SQL source, its connection test, and a synchronisation from a table', async ({ page }) => {
  test.setTimeout(120_000);
  const dana = { name: 'Dana Database', email: `dana-${stamp}@example.test`, password: 'dana password 123' };
  await signUp(page, dana, `Data Co ${stamp}`);
  await expect(page).toHaveURL(/\/o\/data-co-/);
  const { id: orgId } = await currentOrg(page);

  // The source, through its form.
  await nav(page, 'Sources');
  await page.getByRole('link', { name: 'New source' }).click();
  await page.getByRole('radio', { name: /^SQL database/ }).click();
  await page.getByLabel('Name', { exact: true }).fill('Warehouse');
  await page.getByLabel('Dialect').selectOption('mysql');
  await expect(page.getByLabel(/^Port/)).toHaveValue('3306');
  await page.getByLabel('Dialect').selectOption('postgres');
  await expect(page.getByLabel(/^Port/)).toHaveValue('5432');
  await page.getByLabel(/^Host/).fill('127.0.0.1');
  await page.getByLabel(/^Database/).fill('test');
  await page.getByLabel(/^User/).fill(peer.config.user);
  await page.getByLabel('Statement timeout (seconds)').fill('30');
  await page.getByRole('button', { name: 'Create source' }).click();
  await expect(page.getByRole('heading', { name: 'Warehouse' })).toBeVisible();

  // The connection test: SELECT 1, then the table's columns and first row.
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByTestId('test-result')).toContainText('Connected');
  await page.getByLabel('Table or query (optional)').fill(table);
  await page.getByRole('button', { name: 'Test connection' }).click();
  const result = page.getByTestId('test-result');
  await expect(result).toContainText('First row by id');
  await expect(result).toContainText('"email": "person1@example.test"');
  await shot(page, 'sql-source-test');
  await page.getByLabel('Table or query (optional)').fill(`${table}_missing`);
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByTestId('test-failed')).toContainText('does not exist');

  // A register schema and a mapping through the API; the synchronisation through its form.
  const register = await mutate<{ id: string }>(page, 'registers.create', { orgId, name: 'Directory' });
  await mutate(page, 'registers.createSchema', {
    orgId,
    registerId: register.id,
    name: 'Person',
    jsonSchema: PERSON_JSON_SCHEMA,
  });
  await mutate(page, 'mappings.create', {
    orgId,
    name: 'Person',
    config: { mapping: { name: 'name', email: 'email', city: 'city' } },
  });
  await nav(page, 'Synchronisations');
  await expect(page).toHaveURL(/\/synchronisations$/);
  // The pickers load the registers and mappings made above.
  await page.reload();
  await page.getByRole('link', { name: 'New synchronisation' }).click();
  await page.getByLabel('Name *').fill(`Warehouse people ${stamp}`);
  await combobox(page, 'Source *').selectOption({ label: 'Warehouse (sql)' });
  await expect(page.getByLabel('Endpoint')).toHaveCount(0);
  await page.getByLabel('Table or query *').fill('DELETE FROM people');
  await page.getByLabel('Page size').fill('4');
  await combobox(page, 'Mapping').first().selectOption({ label: 'Person' });
  await combobox(page, 'Register *').selectOption({ label: 'Directory' });
  await combobox(page, 'Schema *').selectOption({ label: 'Person' });
  await page.getByRole('button', { name: 'Create synchronisation' }).click();
  await expect(page.getByTestId('field-error')).toContainText('neither a table name');
  await shot(page, 'sql-synchronisation-form');
  await page.getByLabel('Table or query *').fill(table);
  await page.getByRole('button', { name: 'Create synchronisation' }).click();
  await expect(page.getByRole('heading', { name: `Warehouse people ${stamp}` })).toBeVisible();
  await expect(page.getByText('Table or query', { exact: true })).toBeVisible();
  await expect(page.getByText('4 rows')).toBeVisible();
  await expect(page.getByText('Pagination', { exact: true })).toHaveCount(0);

  await page.getByRole('button', { name: 'Run now' }).click();
  const progress = page.getByTestId('run-progress');
  await expect(progress.getByText('Success')).toBeVisible({ timeout: 60_000 });
  await expect(progress.getByTestId('count-created')).toHaveText('9');
  await shot(page, 'sql-synchronisation-finished');
});
