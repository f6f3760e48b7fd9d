// Push in the browser: a register schema pushed to a REST API (a json-server started here). An editor
// creates an object with the form generated from the schema (a missing required field is refused at
// the field), sees it arrive in the API by itself, edits it as JSON and sees the edit arrive, sees who
// changed it and when, and deletes it after confirming — and it is deleted in the API too.
import { expect, test } from '@playwright/test';
import { startJsonServer, type JsonServer } from '../integration/helpers/json-server';
import { PEOPLE_TARGET, PERSON_JSON_SCHEMA } from '../integration/helpers/push-setup';
import { currentOrg, mutate, shot, signUp } from './helpers';

const stamp = Date.now().toString(36);
const editor = { name: 'Pia Pusher', email: `pia-${stamp}@example.test`, password: 'pia password 123' };
let peer: JsonServer;

test.beforeAll(async () => {
  peer = await startJsonServer({ people: [] });
});
test.afterAll(async () => {
  await peer?.stop();
});

type Person = { id: string; name: string; email: string; city?: string };
const people = async () => (await (await fetch(`${peer.url}/people`)).json()) as Person[];

test('an object created and edited in the register arrives in the REST target, and its deletion too', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signUp(page, editor, `Push Co ${stamp}`);
  await expect(page).toHaveURL(/\/o\/push-co-/);
  const { path: orgPath, id: orgId } = await currentOrg(page);

  // Through the API: the register and schema, a register source on it, the API, the push sync.
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
  const api = await mutate<{ id: string }>(page, 'sources.create', {
    orgId,
    name: 'People API',
    type: 'rest',
    config: { baseUrl: peer.url },
  });
  await mutate(page, 'synchronisations.create', {
    orgId,
    name: 'Directory to the People API',
    sourceId: source.id,
    targetType: 'source',
    targetSourceId: api.id,
    targetConfig: PEOPLE_TARGET,
    deleteMode: 'hard',
    // One object of one: deleting it is the whole register, which would otherwise wait for approval.
    deleteThreshold: 1,
  });

  await page.goto(`${orgPath}/registers/${register.id}/schemas/${schema.id}`);
  await page.getByRole('button', { name: 'New object' }).click();
  const form = page.getByRole('form', { name: 'New object' });
  await form.getByLabel('name *').fill('Ada Lovelace');
  await form.getByLabel('city').fill('London');
  await form.getByRole('button', { name: 'Create object' }).click();
  await expect(form.getByTestId('field-error')).toHaveText('“email” is required.');
  await shot(page, 'object-new-refused');
  await form.getByLabel('email *').fill('ada@example.test');
  await form.getByRole('button', { name: 'Create object' }).click();
  await expect(form).toHaveCount(0);

  const row = page.getByRole('row').filter({ hasText: 'Ada Lovelace' });
  await expect(row).toContainText(`by ${editor.name}`);
  await expect
    .poll(people, { timeout: 30_000 })
    .toEqual([expect.objectContaining({ name: 'Ada Lovelace', email: 'ada@example.test', city: 'London' })]);

  // Edit it as JSON.
  await row.getByRole('button').click();
  const dialog = page.getByRole('dialog');
  await dialog.getByRole('button', { name: 'Edit' }).click();
  await dialog.getByRole('tab', { name: 'JSON' }).click();
  await dialog
    .getByLabel('The object as JSON')
    .fill('{ "name": "Ada King", "email": "ada@example.test", "city": "Ockham" }');
  await dialog.getByRole('button', { name: 'Save changes' }).click();
  await expect(dialog.getByTestId('object-json')).toContainText('"name": "Ada King"');
  await expect(dialog.getByTestId('object-version')).toHaveText('2');
  await expect(dialog.getByTestId('object-changed')).toContainText(`by ${editor.name}`);
  await shot(page, 'object-edited');
  await expect
    .poll(people, { timeout: 30_000 })
    .toEqual([expect.objectContaining({ name: 'Ada King', city: 'Ockham' })]);

  // Delete it, after confirming.
  await dialog.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('alertdialog', { name: /^Delete the object obj_/ });
  await expect(confirm).toContainText('delete it in their targets too');
  await confirm.getByRole('button', { name: 'Delete object' }).click();
  await expect(dialog).toContainText('deleted');
  await expect.poll(people, { timeout: 30_000 }).toEqual([]);
  const requests = (await peer.requests()).filter((r) => r.method !== 'GET').map((r) => r.method);
  expect(requests).toEqual(['POST', 'PUT', 'DELETE']);

  // The log says where the runs came from.
  await page.goto(`${orgPath}/logs`);
  await expect(page.getByTestId('run-row').getByText('Register change').first()).toBeVisible();
});
