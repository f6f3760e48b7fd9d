// The hub page in the browser: a Person schema fed by a CRM (a pull from a json-server) and feeding a
// mailing list (a push to another json-server). After the CRM's people came in and went on, the page
// shows both legs with their last run; at 390 px the picture stacks (feeds, hub, fed); the push run's log
// lists the change ids it delivered; and pausing the mailing list on the page stops what it receives.
import { expect, test, type Page } from '@playwright/test';
import { PEOPLE_TARGET } from '../integration/helpers/push-setup';
import { currentOrg, jsonServerPeer, mutate, PERSON_JSON_SCHEMA, query, shot, signUp } from './helpers';

const stamp = Date.now().toString(36);
const owner = { name: 'Hana Hub', email: `hana-${stamp}@example.test`, password: 'hana password 123' };
const crm = jsonServerPeer(() => ({
  people: [
    { id: 'c1', name: 'Ada', email: 'ada@example.test' },
    { id: 'c2', name: 'Bo', email: 'bo@example.test' },
  ],
}));
const mailing = jsonServerPeer(() => ({ people: [] }));

type Run = { id: string; status: string; result: string | null; trigger: string };
const writesTo = async (url: string) =>
  ((await (await fetch(`${url}/__requests`)).json()) as { method: string }[]).filter(
    (r) => r.method !== 'GET',
  ).length;

async function runsOf(page: Page, orgId: string, syncId: string) {
  const list = await query<{ run: Run }[]>(page, 'runs.list', { orgId, syncId });
  return list.map((r) => r.run);
}

test('the hub page shows who feeds the schema and whom it feeds, and pausing a subscriber works', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await signUp(page, owner, `Hub Co ${stamp}`);
  await expect(page).toHaveURL(/\/o\/hub-co-/);
  const { path: orgPath, id: orgId } = await currentOrg(page);

  const register = await mutate<{ id: string }>(page, 'registers.create', { orgId, name: 'Directory' });
  const schema = await mutate<{ id: string }>(page, 'registers.createSchema', {
    orgId,
    registerId: register.id,
    name: 'Person',
    jsonSchema: PERSON_JSON_SCHEMA,
  });
  const hubSource = await mutate<{ id: string }>(page, 'sources.create', {
    orgId,
    name: 'Directory',
    type: 'register',
    config: { registerId: register.id, schemaId: schema.id },
  });
  const crmSource = await mutate<{ id: string }>(page, 'sources.create', {
    orgId,
    name: 'CRM',
    type: 'rest',
    config: { baseUrl: crm.url },
  });
  const fromCrm = await mutate<{ id: string }>(page, 'synchronisations.create', {
    orgId,
    name: 'CRM into the directory',
    sourceId: crmSource.id,
    sourceEndpoint: '/people',
    targetType: 'register',
    targetRegisterId: register.id,
    targetSchemaId: schema.id,
    deleteMode: 'none',
  });
  const mailingSource = await mutate<{ id: string }>(page, 'sources.create', {
    orgId,
    name: 'Mailing list',
    type: 'rest',
    config: { baseUrl: mailing.url },
  });
  const toMailing = await mutate<{ id: string }>(page, 'synchronisations.create', {
    orgId,
    name: 'Directory to the mailing list',
    sourceId: hubSource.id,
    targetType: 'source',
    targetSourceId: mailingSource.id,
    targetConfig: PEOPLE_TARGET,
  });

  // The CRM's people come in; the hub sends them on to the mailing list by itself.
  await mutate(page, 'synchronisations.run', { orgId, syncId: fromCrm.id });
  await expect
    .poll(async () => (await runsOf(page, orgId, toMailing.id)).map((r) => r.result), { timeout: 30_000 })
    .toEqual(['success']);
  expect(await writesTo(mailing.url)).toBe(2);

  // From the schema's page to its hub.
  await page.goto(`${orgPath}/registers/${register.id}/schemas/${schema.id}`);
  await page.getByRole('link', { name: /^Hub/ }).click();
  await expect(page.getByRole('heading', { name: 'Person hub' })).toBeVisible();
  const feeds = page.locator('[data-testid="hub-leg"][data-side="in"]');
  const fed = page.locator('[data-testid="hub-leg"][data-side="out"]');
  await expect(feeds).toHaveCount(1);
  await expect(fed).toHaveCount(1);
  await expect(feeds).toContainText('CRM');
  await expect(feeds).toContainText('Pull');
  await expect(feeds.getByTestId('hub-leg-run')).toContainText('Success');
  await expect(feeds.getByTestId('hub-leg-run')).toContainText('last run');
  await expect(feeds.getByTestId('hub-leg-run')).toContainText('Healthy');
  await expect(fed).toContainText('Mailing list');
  await expect(fed).toContainText('Push');
  await expect(fed.getByTestId('hub-leg-run')).toContainText('Success');
  await expect(fed.getByTestId('hub-leg-unsubscribe')).toHaveText('Receives every change.');
  await expect(page.getByTestId('hub-changes').locator(':scope > li')).toHaveCount(2);
  await shot(page, 'hub');

  // At 390 px the picture stacks: what feeds the hub above it, what it feeds below.
  await page.setViewportSize({ width: 390, height: 844 });
  const inBox = await feeds.boundingBox();
  const hubBox = await page.getByText('the hub', { exact: true }).boundingBox();
  const outBox = await fed.boundingBox();
  expect(inBox!.y + inBox!.height).toBeLessThan(hubBox!.y);
  expect(hubBox!.y).toBeLessThan(outBox!.y);
  expect(outBox!.x + outBox!.width).toBeLessThanOrEqual(390);
  await shot(page, 'hub-390');
  await page.setViewportSize({ width: 1280, height: 800 });

  // The push run's log names the change ids it delivered.
  await fed.getByRole('link', { name: /last run/ }).click();
  await expect(page.getByTestId('changes-delivered').locator('li')).toHaveCount(2);
  await expect(page.getByTestId('changes-delivered')).toContainText('chg_');
  await expect(page.getByTestId('changes-delivered')).toContainText('Sent');
  await page.goBack();

  // Pause the mailing list on the page.
  await fed.getByRole('button', { name: 'Change what it receives' }).click();
  const form = fed.getByRole('form', { name: 'What it receives' });
  await expect(form).toContainText('not delivered later');
  await form.getByLabel('Paused').check();
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(fed.getByTestId('hub-leg-unsubscribe')).toHaveText('Paused: receives no changes.');
  await expect(fed).toContainText('Paused');

  // A change made now reaches no one: the outbox empties and the mailing list gets no request.
  await mutate(page, 'registers.createObject', {
    orgId,
    schemaId: schema.id,
    data: { name: 'Cy', email: 'cy@example.test' },
  });
  await expect
    .poll(
      async () =>
        (await query<{ backlog: { objects: number } }>(page, 'hub.get', { orgId, schemaId: schema.id }))
          .backlog.objects,
      {
        timeout: 30_000,
      },
    )
    .toBe(0);
  expect(await runsOf(page, orgId, toMailing.id)).toHaveLength(1);
  expect(await writesTo(mailing.url)).toBe(2);
});
