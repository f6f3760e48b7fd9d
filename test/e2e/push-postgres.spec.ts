// A register object edited in the browser arrives in a PostgreSQL table by itself: the push
// synchronisation (register → SQL target) is set up through the API, its table created from the
// register schema; then an editor creates an object with the schema's form and edits it as JSON, and
// each version is read back from PostgreSQL itself. Needs PostgreSQL on 127.0.0.1:5432 (trust,
// database test).
import { expect, test } from '@playwright/test';
import { PERSON_JSON_SCHEMA } from '../integration/helpers/push-setup';
import { postgresPeer, type SqlPeer } from '../integration/helpers/sql-peers';
import { currentOrg, mutate, shot, signUp } from './helpers';

const stamp = Date.now().toString(36);
const editor = { name: 'Pam Postgres', email: `pam-${stamp}@example.test`, password: 'pam password 123' };
let peer: SqlPeer;
let table: string;

test.beforeAll(async () => {
  peer = await postgresPeer();
  table = peer.table('push_e2e');
});
test.afterAll(async () => {
  await peer?.dropAll();
  await peer?.close();
});

test('an object created and edited in the register arrives in a PostgreSQL table', async ({ page }) => {
  test.setTimeout(120_000);
  await signUp(page, editor, `Table Co ${stamp}`);
  await expect(page).toHaveURL(/\/o\/table-co-/);
  const { path: orgPath, id: orgId } = await currentOrg(page);

  const register = await mutate<{ id: string }>(page, 'registers.create', { orgId, name: 'Directory' });
  const schema = await mutate<{ id: string }>(page, 'registers.createSchema', {
    orgId,
    registerId: register.id,
    name: 'Person',
    jsonSchema: PERSON_JSON_SCHEMA,
  });
  const source = await mutate<{ id: string }>(page, 'sources.create', {
    orgId,
    name: 'Directory',
    type: 'register',
    config: { registerId: register.id, schemaId: schema.id },
  });
  const warehouse = await mutate<{ id: string }>(page, 'sources.create', {
    orgId,
    name: 'Warehouse',
    type: 'sql',
    config: { ...peer.config },
  });
  await mutate(page, 'sources.createSqlTable', {
    orgId,
    sourceId: warehouse.id,
    schemaId: schema.id,
    table,
    keyColumns: ['id'],
  });
  await mutate(page, 'synchronisations.create', {
    orgId,
    name: 'Directory to the warehouse',
    sourceId: source.id,
    targetType: 'source',
    targetSourceId: warehouse.id,
    targetConfig: { table },
    deleteMode: 'hard',
  });
  const rows = () => peer.query(`SELECT name, email, city FROM "${table}"`);

  await page.goto(`${orgPath}/registers/${register.id}/schemas/${schema.id}`);
  await page.getByRole('button', { name: 'New object' }).click();
  const form = page.getByRole('form', { name: 'New object' });
  await form.getByLabel('name *').fill('Grace Hopper');
  await form.getByLabel('email *').fill('grace@example.test');
  await form.getByLabel('city').fill('Arlington');
  await form.getByRole('button', { name: 'Create object' }).click();
  await expect(form).toHaveCount(0);
  await expect
    .poll(rows, { timeout: 30_000 })
    .toEqual([{ name: 'Grace Hopper', email: 'grace@example.test', city: 'Arlington' }]);

  const row = page.getByRole('row').filter({ hasText: 'Grace Hopper' });
  await row.getByRole('button').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Edit' }).click();
  await dialog.getByRole('tab', { name: 'JSON' }).click();
  await dialog
    .getByLabel('The object as JSON')
    .fill('{ "name": "Grace Hopper", "email": "grace@example.test", "city": "New York" }');
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await expect(dialog.getByTestId('object-version')).toHaveText('2');
  await expect
    .poll(rows, { timeout: 30_000 })
    .toEqual([{ name: 'Grace Hopper', email: 'grace@example.test', city: 'New York' }]);
  await shot(page, 'push-postgres-edited');
});
