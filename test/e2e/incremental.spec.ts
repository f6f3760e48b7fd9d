// Incremental reading in the browser: a PostgreSQL synchronisation whose "Incremental reading" section
// names the updated-at column, a lookback and a reconciliation every three runs; its page shows the
// cursor the first (full) run took and when the next reconciliation comes; a row changed later arrives
// in an incremental run; Reset cursor forgets it, and Run full reconciliation lists everything.
// Needs PostgreSQL on 127.0.0.1:5432 (trust, database test); the server allows private addresses.
import { expect, test } from '@playwright/test';
import { postgresPeer, type SqlPeer } from '../integration/helpers/sql-peers';
import { combobox, currentOrg, mutate, nav, PERSON_JSON_SCHEMA, shot, signUp } from './helpers';

const stamp = Date.now().toString(36);
let peer: SqlPeer;
let table: string;

test.beforeAll(async () => {
  peer = await postgresPeer();
  table = peer.table('incremental_e2e');
  await peer.exec(
    `CREATE TABLE "${table}" (id integer PRIMARY KEY, name text NOT NULL, email text, city text, updated_at timestamptz NOT NULL)`,
  );
  for (let id = 1; id <= 6; id++) {
    await peer.exec(`INSERT INTO "${table}" VALUES ($1, $2, $3, 'Utrecht', '2024-05-01 10:00:00+05:00')`, [
      id,
      `Person ${id}`,
      `person${id}@example.test`,
    ]);
  }
});
test.afterAll(async () => {
  await peer?.dropAll();
  await peer?.close();
});

test('an incremental SQL synchronisation: its settings, its cursor, a reset and a full run', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const ivo = { name: 'Ivo Incremental', email: `ivo-${stamp}@example.test`, password: 'ivo password 1234' };
  await signUp(page, ivo, `Changes Co ${stamp}`);
  await expect(page).toHaveURL(/\/o\/changes-co-/);
  const { id: orgId } = await currentOrg(page);

  await mutate(page, 'sources.create', {
    orgId,
    name: 'Warehouse',
    type: 'sql',
    config: { ...peer.config },
  });
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
  await page.getByLabel('Name *').fill(`Changed people ${stamp}`);
  await combobox(page, 'Source *').selectOption({ label: 'Warehouse (sql)' });
  await page.getByLabel('Table or query *').fill(table);
  await page.getByLabel('Page size').fill('4');
  await page.getByLabel('Read incrementally').check();
  // An SQL source compares its column itself: no changes query to give.
  await expect(page.getByLabel('Changes query *')).toHaveCount(0);
  await page.getByLabel('Updated-at column *').fill('updated_at');
  await page.getByLabel('Lookback (seconds)').fill('sixty');
  await combobox(page, 'Mapping').first().selectOption({ label: 'Person' });
  await combobox(page, 'Register *').selectOption({ label: 'Directory' });
  await combobox(page, 'Schema *').selectOption({ label: 'Person' });
  await page.getByRole('button', { name: 'Create synchronisation' }).click();
  await expect(page.getByTestId('field-error')).toContainText('Lookback must be a whole number');
  await page.getByLabel('Lookback (seconds)').fill('60');
  await page.getByLabel('Full reconciliation every … runs').fill('3');
  await shot(page, 'incremental-form');
  await page.getByRole('button', { name: 'Create synchronisation' }).click();
  await expect(page.getByRole('heading', { name: `Changed people ${stamp}` })).toBeVisible();

  const card = page.getByTestId('incremental-state');
  await expect(card).toContainText('none yet');
  await expect(page.getByTestId('next-reconciliation')).toHaveText('the next run');

  // The first run lists everything and takes the column's largest value, in UTC as PostgreSQL wrote it.
  await page.getByRole('button', { name: 'Run now' }).click();
  const progress = page.getByTestId('run-progress');
  await expect(progress.getByText('Success')).toBeVisible({ timeout: 60_000 });
  await expect(progress.getByTestId('count-created')).toHaveText('6');
  await expect(page.getByTestId('incremental-cursor')).toHaveText('2024-05-01 05:00:00+00', {
    timeout: 15_000,
  });
  await expect(page.getByTestId('next-reconciliation')).toHaveText('after 2 more incremental runs');

  // A row changed later arrives in an incremental run; the cursor moves to its value.
  await peer.exec(
    `UPDATE "${table}" SET name = 'Person two', updated_at = '2024-05-01 12:00:00+05:00' WHERE id = 2`,
  );
  await page.reload();
  await page.getByRole('button', { name: 'Run now' }).click();
  await expect(page.getByTestId('run-progress').getByTestId('count-updated')).toHaveText('1', {
    timeout: 60_000,
  });
  await expect(page.getByTestId('incremental-cursor')).toHaveText('2024-05-01 07:00:00+00', {
    timeout: 15_000,
  });
  await shot(page, 'incremental-cursor');

  // Reset: the next run is full.
  await page.getByRole('button', { name: 'Reset cursor' }).click();
  const confirm = page.getByRole('alertdialog', { name: /^Forget the cursor\?/ });
  await confirm.getByRole('button', { name: 'Reset cursor' }).click();
  await expect(confirm).toHaveCount(0);
  await expect(card).toContainText('none yet');
  await expect(page.getByTestId('next-reconciliation')).toHaveText('the next run');

  await page.getByRole('button', { name: 'Run full reconciliation' }).click();
  await expect(page.getByTestId('run-progress').getByText('Success')).toBeVisible({ timeout: 60_000 });
  await expect(page.getByTestId('incremental-cursor')).toHaveText('2024-05-01 07:00:00+00', {
    timeout: 15_000,
  });
  await nav(page, 'Logs');
  await expect(page.getByText('full reconciliation').first()).toBeVisible();
  await expect(page.getByText('incremental', { exact: true }).first()).toBeVisible();
});
