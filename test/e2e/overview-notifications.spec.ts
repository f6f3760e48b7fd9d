// An operator's morning: a new organisation's Overview lists its first steps; once a synchronisation's
// source starts answering 500, the Overview shows it failing since its first failure, and the bell in the
// header has the failure unread — opening it leads to the run's log and clears the count. A webhook
// endpoint added in Settings (its secret shown once) receives the failure signed; the delivery log says so.
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
  shot,
  signUp,
} from './helpers';
import { startWebhookReceiver, type WebhookReceiver } from '../integration/helpers/webhook-receiver';

const stamp = Date.now().toString(36);
const peer = jsonServerPeer(() => ({ people: people(8) }));
let receiver: WebhookReceiver;
test.beforeAll(async () => {
  receiver = await startWebhookReceiver([200]);
});
test.afterAll(() => receiver.stop());

async function runToEnd(page: Page, orgId: string, syncId: string) {
  const { runId } = await mutate<{ runId: string }>(page, 'synchronisations.run', {
    orgId,
    syncId,
    test: false,
    force: false,
  });
  let run: { status: string; result: string | null } = { status: 'queued', result: null };
  await expect
    .poll(
      async () => {
        run = await query(page, 'runs.get', { orgId, runId });
        return run.status;
      },
      { timeout: 60_000 },
    )
    .toBe('finished');
  return { runId, result: run.result };
}

test('a failing synchronisation shows on the Overview with "failing since", and the bell has the failure', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const olga = { name: 'Olga Operator', email: `olga-${stamp}@example.test`, password: 'olga password 123' };
  await signUp(page, olga, `Morning Co ${stamp}`);
  await expect(page).toHaveURL(/\/o\/morning-co-/);
  const { path: orgPath, id: orgId } = await currentOrg(page);

  // A new organisation: the first steps, none done, the first one offered.
  const steps = page.getByTestId('first-steps');
  await expect(steps).toBeVisible();
  await expect(steps.getByText('Connect a source (to do)')).toBeVisible();
  await expect(steps.getByRole('link', { name: 'Create a source →' })).toHaveAttribute(
    'href',
    `${orgPath}/sources/new`,
  );
  await shot(page, 'overview-first-steps');

  const setup = await createPeopleSetup(page, orgId, peer.url);
  const { id: syncId } = await createPeopleSync(page, setup, {
    name: `People ${stamp}`,
    sourceEndpoint: '/people?_page=1&_limit=50',
    sourceConfig: { pagination: { kind: 'link-header' } },
  });
  expect(await runToEnd(page, orgId, syncId)).toMatchObject({ result: 'success' });

  // A webhook endpoint for failures, added in Settings: its signing secret is shown once.
  await page.goto(`${orgPath}/settings`);
  await page.getByLabel('Endpoint URL').fill(receiver.url);
  await page.getByLabel('Description (optional)').fill('On-call');
  await page.getByRole('button', { name: 'Add endpoint' }).click();
  const secret = await page.getByLabel('Signing secret').inputValue();
  expect(secret).toMatch(/^whsec_/);
  receiver.secret = secret;
  await expect(page.getByTestId('webhook-endpoint')).toContainText(receiver.url);
  await page.reload();
  await expect(page.getByTestId('webhook-endpoint')).toContainText('On-call');
  await expect(page.getByLabel('Signing secret')).toHaveCount(0);

  // The source breaks: every listing answers 500 from now on.
  const faults = await page.request.post(`${peer.url}/__faults`, {
    data: [{ path: '/people', status: 500, body: { error: 'database down' } }],
  });
  expect(faults.ok()).toBe(true);
  const failure = await runToEnd(page, orgId, syncId);
  expect(failure.result).toBe('error');
  const [hook] = await receiver.waitFor(1);
  expect(hook!.signatureValid).toBe(true);
  expect(hook!.json).toMatchObject({ event: 'run.failed', data: { run: { id: failure.runId } } });

  await page.goto(orgPath);
  // All steps done: the checklist gives way to the health of the synchronisations.
  await expect(page.getByTestId('first-steps')).toHaveCount(0);
  const row = page.getByTestId(`health-${syncId}`);
  await expect(row.getByText('Failing', { exact: true })).toBeVisible();
  await expect(row.getByText(/failing since/)).toBeVisible();
  await expect(row.getByRole('cell', { name: '8', exact: true })).toBeVisible();
  const attention = page.getByTestId('attention');
  await expect(attention.getByText(/failing since/)).toBeVisible();
  await expect(attention.getByRole('link', { name: `People ${stamp}` })).toBeVisible();
  await expect(page.getByTestId('recent-runs').getByRole('link', { name: `People ${stamp}` })).toHaveCount(2);
  await shot(page, 'overview-failing');

  // The bell: one unread failure, leading to the run's log.
  const bell = page.getByTestId('notification-bell');
  await expect(page.getByTestId('notification-count')).toHaveText('1');
  await bell.click();
  const item = page
    .getByTestId('notification-list')
    .getByRole('link', { name: new RegExp(`People ${stamp}” failed`) });
  await expect(item).toBeVisible();
  await expect(item).toHaveAttribute('data-unread', 'true');
  await shot(page, 'bell-open');
  await item.click();
  await expect(page).toHaveURL(new RegExp(`${orgPath}/logs/${failure.runId}$`));
  await expect(page.getByTestId('notification-count')).toHaveCount(0);
  await bell.click();
  await expect(
    page.getByTestId('notification-list').getByRole('link', { name: new RegExp(`People ${stamp}” failed`) }),
  ).toHaveAttribute('data-unread', 'false');

  // The delivery log in Settings: delivered at the first attempt, with the receiver's 200.
  await page.goto(`${orgPath}/settings`);
  const delivery = page.getByTestId('delivery').first();
  await expect(delivery).toContainText(`People ${stamp}” failed`);
  await expect(delivery).toContainText('delivered');
  await expect(delivery.getByRole('cell').nth(3)).toHaveText('1');
  await expect(delivery).toContainText('200');
  await shot(page, 'settings-webhooks');
});
