// A two-way synchronisation's first run meets a person both systems already hold (paired by email) with
// different values: the conflict page says the two systems differ on an object never synchronised, shows
// no base column (which read as every field deleted) and offers the id field as no pick. A second two-way
// leg on the same schema makes the first one's write-back carry the other system's ids: its page and edit
// form warn, naming the other leg.
// The server allows private URLs (playwright.config.ts) so it may call the local peer.
import { expect, test } from '@playwright/test';
import { currentOrg, jsonServerPeer, mutate, PERSON_JSON_SCHEMA, query, signUp } from './helpers';

const stamp = Date.now().toString(36);
const peer = jsonServerPeer(() => ({
  people: [
    { id: 1, name: 'Ada', email: 'ada@example.test', city: 'Leiden' },
    { id: 2, name: 'Bob', email: 'bob@example.test', city: 'Utrecht' },
  ],
}));

test('a first-match conflict reads as two systems that differ, and a hub leg is warned about foreign ids', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const fay = { name: 'Fay First', email: `fay-${stamp}@example.test`, password: 'fay password 123' };
  await signUp(page, fay, `Match Co ${stamp}`);
  await expect(page).toHaveURL(/\/o\/match-co-/);
  const { path: orgPath, id: orgId } = await currentOrg(page);

  const crm = await mutate<{ id: string }>(page, 'sources.create', {
    orgId,
    name: 'CRM',
    type: 'rest',
    config: { baseUrl: peer.url },
  });
  const register = await mutate<{ id: string }>(page, 'registers.create', { orgId, name: 'Directory' });
  const schema = await mutate<{ id: string }>(page, 'registers.createSchema', {
    orgId,
    registerId: register.id,
    name: 'Person',
    jsonSchema: PERSON_JSON_SCHEMA,
  });
  const mapping = await mutate<{ id: string }>(page, 'mappings.create', {
    orgId,
    name: 'Person with its id',
    config: { mapping: { id: 'id', name: 'name', email: 'email', city: 'city' } },
  });
  const leg = {
    orgId,
    sourceEndpoint: '/people',
    mappingId: mapping.id,
    targetType: 'register',
    targetRegisterId: register.id,
    targetSchemaId: schema.id,
    direction: 'two-way',
  };
  const sync = await mutate<{ id: string }>(page, 'synchronisations.create', {
    ...leg,
    name: 'CRM ⇄ directory',
    sourceId: crm.id,
    twoWay: { conflictPolicy: 'manual', match: { source: 'email', target: 'email' } },
  });
  await mutate(page, 'registers.createObject', {
    orgId,
    schemaId: schema.id,
    data: { id: 'dir-ada', name: 'Ada', email: 'ada@example.test', city: 'Haarlem' },
  });
  const { runId } = await mutate<{ runId: string }>(page, 'synchronisations.run', { orgId, syncId: sync.id });
  await expect
    .poll(async () => (await query<{ finishedAt: unknown }>(page, 'runs.get', { orgId, runId })).finishedAt, {
      timeout: 60_000,
    })
    .not.toBeNull();

  const { rows } = await query<{ rows: { id: string }[] }>(page, 'conflicts.list', { orgId });
  await page.goto(`${orgPath}/conflicts/${rows[0]!.id}`);
  await expect(page.getByText('Different on both sides, never synchronised')).toBeVisible();
  await expect(page.getByTestId('first-match-notice')).toContainText('before it had ever synchronised it');
  const table = page.getByTestId('three-way-table');
  await expect(table.getByRole('columnheader', { name: 'Source' })).toBeVisible();
  await expect(table.getByRole('columnheader', { name: /Base/ })).toHaveCount(0);
  const city = table.locator('[data-path="city"]');
  await expect(city.getByText('Differs')).toBeVisible();
  const id = table.locator('[data-path="id"]');
  await expect(id.getByTestId('key-field')).toBeVisible();
  await expect(id.getByRole('radio')).toHaveCount(0);
  const apply = page.getByRole('button', { name: 'Apply picked fields' });
  await expect(apply).toBeDisabled();
  await city.getByRole('radio', { name: "Keep the source's “city”" }).check();
  await expect(apply).toBeEnabled();

  // A second leg on the same schema: the CRM's write-back would now carry the shop's ids, and back.
  const shop = await mutate<{ id: string }>(page, 'sources.create', {
    orgId,
    name: 'Shop',
    type: 'rest',
    config: { baseUrl: peer.url },
  });
  await mutate(page, 'synchronisations.create', {
    ...leg,
    name: 'Shop ⇄ directory',
    sourceId: shop.id,
    sourceEndpoint: '/customers',
    twoWay: {},
  });
  await page.goto(`${orgPath}/synchronisations/${sync.id}`);
  const warning = page.getByTestId('sync-warning');
  await expect(warning).toContainText('The write-back to “CRM” sends the field “id”');
  await expect(warning.getByRole('link', { name: 'Open “Shop ⇄ directory”' })).toBeVisible();
  await page.goto(`${orgPath}/synchronisations/${sync.id}/edit`);
  await expect(page.getByTestId('sync-warning')).toContainText('Leave “id” out of the write-back mapping');
});
