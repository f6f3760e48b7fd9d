// A detail page answers what a browser, a link checker or a monitor reads from its status: 200 for a
// record of the organisation, 404 with the not-found page for an id that does not exist — and the same
// 404 for a record of another organisation the person belongs to, opened under this one's address, so
// the answer never tells whether an id exists elsewhere.
// The server must allow private URLs (CONCORD_ALLOW_PRIVATE_URLS=1) to read the local json-server.
import { expect, test, type Page } from '@playwright/test';
import {
  createPeopleSetup,
  createPeopleSync,
  currentOrg,
  jsonServerPeer,
  mutate,
  people,
  query,
  signUp,
} from './helpers';

const stamp = Date.now().toString(36);
const peer = jsonServerPeer(() => ({ people: people(3) }));

async function statusOf(page: Page, path: string) {
  const response = await page.goto(path);
  return response!.status();
}

async function expectNotFound(page: Page, path: string) {
  expect(await statusOf(page, path), path).toBe(404);
  await expect(page.getByRole('heading', { name: 'This page does not exist' })).toBeVisible();
}

test('detail pages answer 404 for ids that are not the organisation’s, 200 for its own', async ({ page }) => {
  test.setTimeout(120_000);
  const nora = { name: 'Nora Notfound', email: `nora-${stamp}@example.test`, password: 'nora password 123' };
  await signUp(page, nora, `Found Co ${stamp}`);
  await expect(page).toHaveURL(/\/o\/found-co-/);
  const { path: orgPath, id: orgId } = await currentOrg(page);
  const setup = await createPeopleSetup(page, orgId, peer.url);
  const { id: syncId } = await createPeopleSync(page, setup, {
    name: `People ${stamp}`,
    sourceEndpoint: '/people',
    sourceConfig: {},
  });
  const { runId } = await mutate<{ runId: string }>(page, 'synchronisations.run', { orgId, syncId });
  await expect
    .poll(async () => (await query<{ finishedAt: unknown }>(page, 'runs.get', { orgId, runId })).finishedAt, {
      timeout: 60_000,
    })
    .not.toBeNull();
  const [contract] = (await query<{ rows: { id: string }[] }>(page, 'contracts.list', { orgId, syncId }))
    .rows;

  const schemaPath = `/registers/${setup.registerId}/schemas/${setup.schemaId}`;
  const own = [
    `/synchronisations/${syncId}`,
    `/synchronisations/${syncId}/edit`,
    `/synchronisations/${syncId}/contracts`,
    `/sources/${setup.sourceId}`,
    `/logs/${runId}`,
    `/mappings/${setup.mappingId}`,
    `/contracts/${contract!.id}`,
    schemaPath,
    `${schemaPath}/hub`,
    `/registers/${setup.registerId}/schemas/new`,
  ];
  for (const path of own) expect(await statusOf(page, `${orgPath}${path}`), path).toBe(200);

  // Ids that exist nowhere.
  for (const path of [
    '/synchronisations/syn_doesnotexist',
    '/synchronisations/syn_doesnotexist/edit',
    '/synchronisations/syn_doesnotexist/contracts',
    '/sources/src_doesnotexist',
    '/logs/run_doesnotexist',
    '/mappings/map_doesnotexist',
    '/contracts/ctr_doesnotexist',
    '/conflicts/cfl_doesnotexist',
    '/connections/con_doesnotexist',
    `/registers/${setup.registerId}/schemas/sch_doesnotexist`,
    `/registers/${setup.registerId}/schemas/sch_doesnotexist/hub`,
    '/registers/reg_doesnotexist/schemas/new',
    // A schema of the organisation under a register it is not in.
    `/registers/reg_doesnotexist/schemas/${setup.schemaId}`,
  ]) {
    await expectNotFound(page, `${orgPath}${path}`);
  }

  // A second organisation of the same person: the first one's records under its address are not found.
  await page.goto('/orgs/new');
  await page.getByLabel('Name').fill(`Other Co ${stamp}`);
  await page.getByRole('button', { name: 'Create organisation' }).click();
  await expect(page.getByRole('heading', { name: `Other Co ${stamp}` })).toBeVisible();
  const other = await currentOrg(page);
  expect(other.path).not.toBe(orgPath);
  for (const path of own) await expectNotFound(page, `${other.path}${path}`);
});
