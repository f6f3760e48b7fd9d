// Selected data types in the browser: Discover on a PostgreSQL source's page lists its tables (a
// database of this spec's own), two are selected and become one connection of two synchronisations,
// Run all runs both, and the connection's page shows both succeed side by side with their counts.
// Needs PostgreSQL on 127.0.0.1:5432 (trust); the server allows private addresses.
import { expect, test } from '@playwright/test';
import { CUSTOMERS, ORDERS, shopDatabase, type ShopDatabase } from '../integration/helpers/discover-db';
import { currentOrg, mutate, nav, shot, signUp } from './helpers';

const stamp = Date.now().toString(36);
let shop: ShopDatabase;

test.beforeAll(async () => {
  shop = await shopDatabase('postgres', 'discover_e2e');
});
test.afterAll(async () => {
  await shop?.close();
});

test('discover a PostgreSQL source’s tables, select two, and run them as one connection', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const dora = { name: 'Dora Discover', email: `dora-${stamp}@example.test`, password: 'dora password 123' };
  await signUp(page, dora, `Discovery Co ${stamp}`);
  await expect(page).toHaveURL(/\/o\/discovery-co-/);
  const { id: orgId, path } = await currentOrg(page);
  const source = await mutate<{ id: string }>(page, 'sources.create', {
    orgId,
    name: 'Shop database',
    type: 'sql',
    config: shop.config,
  });

  await page.goto(`${path}/sources/${source.id}`);
  await page.getByRole('button', { name: 'Discover', exact: true }).click();
  const table = page.getByTestId('discovered-types');
  await expect(table.getByTestId('type-discover_customers')).toContainText('integer, key');
  await expect(table.getByTestId('type-discover_orders')).toContainText('order_no');
  await expect(table.getByTestId('type-discover_customer_names')).toContainText('view');
  // A key of two columns cannot be paged on: not selectable, and the reason is shown.
  await expect(page.getByLabel('Select discover_order_lines')).toBeDisabled();
  await expect(table.getByTestId('type-discover_order_lines')).toContainText('primary key has 2 columns');

  await page.getByLabel('Select discover_customers').check();
  await page.getByLabel('Select discover_orders').check();
  await page.getByLabel('Connection name').fill('Shop');
  await shot(page, 'discover-selected');
  await page.getByRole('button', { name: 'Create connection (2 data types)' }).click();

  await expect(page.getByRole('heading', { name: 'Shop' })).toBeVisible();
  await expect(page).toHaveURL(/\/connections\/cnx_/);
  const customers = page.getByTestId('member-discover_customers');
  const orders = page.getByTestId('member-discover_orders');
  await expect(customers).toContainText('Shop · discover_customers');
  await expect(orders).toContainText('Never run');

  await page.getByRole('button', { name: 'Run all' }).click();
  await expect(page.getByText('Started 2 runs:')).toBeVisible();
  await expect(customers.getByTestId('last-run')).toContainText('Success', { timeout: 60_000 });
  await expect(orders.getByTestId('last-run')).toContainText('Success', { timeout: 60_000 });
  await expect(customers.getByTestId('count-created')).toHaveText(String(CUSTOMERS));
  await expect(orders.getByTestId('count-created')).toHaveText(String(ORDERS));
  await expect(orders.getByTestId('contracts')).toHaveText(String(ORDERS));
  await shot(page, 'connection-after-run');

  // The connection is in the navigation's list, and its schema holds the rows.
  await nav(page, 'Connections');
  await expect(page).toHaveURL(/\/connections$/);
  await page.getByRole('link', { name: 'Shop', exact: true }).click();
  await page
    .getByTestId('member-discover_orders')
    .getByRole('link', { name: 'discover_orders', exact: true })
    .click();
  await expect(page.getByText('C-1')).toBeVisible();
});
