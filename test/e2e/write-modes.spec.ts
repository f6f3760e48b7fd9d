// The write mode, chosen on the synchronisation's form: "only create" is saved, shown on the
// synchronisation's page, and a run after a change in the source leaves the written object alone.
// The server must allow private URLs (CONCORD_ALLOW_PRIVATE_URLS=1) to read the local json-server.
import { expect, test } from '@playwright/test';
import {
  createPeopleSetup,
  createPeopleSync,
  currentOrg,
  jsonServerPeer,
  mutate,
  people,
  query,
  shot,
  signUp,
} from './helpers';

const stamp = Date.now().toString(36);
const peer = jsonServerPeer(() => ({ people: people(5) }));

test('insert only, chosen on the form, creates new objects and leaves written ones alone', async ({
  page,
}) => {
  test.setTimeout(120_000);
  const wendy = { name: 'Wendy Modes', email: `wendy-${stamp}@example.test`, password: 'wendy password 123' };
  await signUp(page, wendy, `Modes Co ${stamp}`);
  await expect(page).toHaveURL(/\/o\/modes-co-/);
  const { path: orgPath, id: orgId } = await currentOrg(page);
  const setup = await createPeopleSetup(page, orgId, peer.url);
  const { id: syncId } = await createPeopleSync(page, setup, {
    name: `People ${stamp}`,
    sourceEndpoint: '/people?_page=1&_limit=50',
    sourceConfig: { pagination: { kind: 'link-header' } },
  });

  await page.goto(`${orgPath}/synchronisations/${syncId}/edit`);
  await expect(page.getByRole('heading', { name: 'Edit synchronisation' })).toBeVisible();
  await expect(page.getByLabel('Write mode')).toHaveValue('upsert');
  await page.getByLabel('Write mode').selectOption({ label: 'Only create new objects' });
  await expect(page.getByText('An object written once is never updated again.')).toBeVisible();
  await shot(page, 'write-mode-form');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('heading', { name: `People ${stamp}` })).toBeVisible();
  await expect(page.getByText('only create', { exact: true })).toBeVisible();

  const runToEnd = async () => {
    const { runId } = await mutate<{ runId: string }>(page, 'synchronisations.run', { orgId, syncId });
    await expect
      .poll(async () => (await query<{ status: string }>(page, 'runs.get', { orgId, runId })).status, {
        timeout: 60_000,
      })
      .toBe('finished');
    return query<{ created: number; updated: number; skipped: number }>(page, 'runs.get', { orgId, runId });
  };
  expect(await runToEnd()).toMatchObject({ created: 5, updated: 0 });
  await fetch(`${peer.url}/people/3`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Three Renamed' }),
  });
  expect(await runToEnd()).toMatchObject({ created: 0, updated: 0, skipped: 5 });
});
