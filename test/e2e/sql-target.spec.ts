// A register pushed into a PostgreSQL table, configured in the browser: people pulled from a REST API
// into the register (through the API), then a synchronisation from the register to an SQL source made
// with the form — the table's CREATE TABLE previewed from the register schema and created with the
// button — run from its page; the rows are checked in PostgreSQL itself. Needs PostgreSQL on
// 127.0.0.1:5432 (trust, database test); the server allows private addresses.
import { expect, test } from '@playwright/test';
import { postgresPeer, type SqlPeer } from '../integration/helpers/sql-peers';
import {
  combobox,
  createPeopleSetup,
  createPeopleSync,
  currentOrg,
  jsonServerPeer,
  mutate,
  nav,
  people,
  query,
  shot,
  signUp,
} from './helpers';

const stamp = Date.now().toString(36);
const api = jsonServerPeer(() => ({ people: people(7) }));
let peer: SqlPeer;
let table: string;

test.beforeAll(async () => {
  peer = await postgresPeer();
  table = peer.table('sqltarget_e2e');
});
test.afterAll(async () => {
  await peer?.dropAll();
  await peer?.close();
});

async function runToEnd(page: Parameters<typeof mutate>[0], orgId: string, syncId: string) {
  const { runId } = await mutate<{ runId: string }>(page, 'synchronisations.run', { orgId, syncId });
  await expect
    .poll(async () => (await query<{ status: string }>(page, 'runs.get', { orgId, runId })).status, {
      timeout: 60_000,
    })
    .toBe('finished');
}

test('a register into a PostgreSQL table: the table made from the schema, then the rows', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const erin = { name: 'Erin Export', email: `erin-${stamp}@example.test`, password: 'erin password 123' };
  await signUp(page, erin, `Export Co ${stamp}`);
  await expect(page).toHaveURL(/\/o\/export-co-/);
  const { id: orgId } = await currentOrg(page);

  // People into the register, as an inbound synchronisation leaves them.
  const setup = await createPeopleSetup(page, orgId, api.url);
  const pull = await createPeopleSync(page, setup, {
    name: 'People in',
    sourceEndpoint: '/people',
    sourceConfig: {},
  });
  await runToEnd(page, orgId, pull.id);
  await mutate(page, 'sources.create', {
    orgId,
    name: 'Directory people',
    type: 'register',
    config: { registerId: setup.registerId, schemaId: setup.schemaId },
  });
  await mutate(page, 'sources.create', {
    orgId,
    name: 'Warehouse',
    type: 'sql',
    config: { ...peer.config },
  });

  // The push synchronisation, through its form.
  await nav(page, 'Synchronisations');
  await expect(page).toHaveURL(/\/synchronisations$/);
  // The pickers load the sources made above.
  await page.reload();
  await page.getByRole('link', { name: 'New synchronisation' }).click();
  await page.getByLabel('Name *').fill(`People out ${stamp}`);
  await combobox(page, 'Source *').selectOption({ label: 'Directory people (register)' });
  await page.getByLabel('Write to').selectOption('source');
  await combobox(page, 'Target source *').selectOption({ label: 'Warehouse (sql)' });
  await expect(page.getByLabel('Create endpoint')).toHaveCount(0);
  await page.getByLabel('Table *').fill(table);
  const ddl = page.getByTestId('sql-ddl');
  await expect(ddl).toContainText(`CREATE TABLE "${table}"`);
  await expect(ddl).toContainText('"id" text NOT NULL');
  await expect(ddl).toContainText('"email" text NOT NULL');
  await expect(ddl).toContainText('PRIMARY KEY ("id")');
  await shot(page, 'sql-target-ddl');
  // Soft deletion needs its column: the refusal says so at the field.
  await page.getByLabel('Deletion policy').selectOption('soft');
  await page.getByRole('button', { name: 'Create synchronisation' }).click();
  await expect(page.getByTestId('field-error')).toContainText('Soft deletion needs the column');
  await page.getByLabel('Deletion policy').selectOption('hard');

  await page.getByRole('button', { name: 'Create table' }).click();
  await expect(page.getByText(`Created the table ${table}`)).toBeVisible();
  const exists = await peer.query('SELECT to_regclass($1) IS NOT NULL AS made', [table]);
  expect(exists[0]?.['made']).toBe(true);
  // A second press leaves the existing table alone and says so.
  await page.getByRole('button', { name: 'Create table' }).click();
  await expect(page.getByText(/already exists in postgres:\/\//)).toBeVisible();

  await page.getByRole('button', { name: 'Create synchronisation' }).click();
  await expect(page.getByRole('heading', { name: `People out ${stamp}` })).toBeVisible();
  await expect(page.getByText('Warehouse (SQL)')).toBeVisible();
  await page.getByRole('button', { name: 'Run now' }).click();
  const progress = page.getByTestId('run-progress');
  await expect(progress.getByText('Success')).toBeVisible({ timeout: 60_000 });
  await expect(progress.getByTestId('count-created')).toHaveText('7');
  await shot(page, 'sql-target-finished');

  const rows = await peer.query(`SELECT name, email, city FROM "${table}" ORDER BY email`);
  expect(rows).toHaveLength(7);
  expect(rows[0]).toEqual({ name: 'Person 1', email: 'person1@example.test', city: 'Leiden' });
});
