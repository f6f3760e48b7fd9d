// Follow-ups, one-time and selected ids in the browser: two synchronisations made through the API, then
// on the form a person ticks a follow-up, makes the first one-time, reads its selected ids from a CSV
// file and names the path of one object; the page shows it all. Run now: only the selected people
// arrive, the follow-up runs after it, and the one-time synchronisation disables itself with the reason
// on its page. A loop of follow-ups is refused beside the field, naming it.
import { expect, test } from '@playwright/test';
import {
  createPeopleSetup,
  createPeopleSync,
  currentOrg,
  jsonServerPeer,
  people,
  query,
  shot,
  signUp,
} from './helpers';

const stamp = Date.now().toString(36);
const peer = jsonServerPeer(() => ({ people: people(12) }));

type Run = {
  id: string;
  trigger: string;
  status: string;
  result: string | null;
  requestedByRunId: string | null;
};

test('follow-ups, one-time and selected ids on the form and the page', async ({ page }) => {
  test.setTimeout(120_000);
  const fay = { name: 'Fay Follow', email: `fay-${stamp}@example.test`, password: 'fay password 123' };
  await signUp(page, fay, `Follow Co ${stamp}`);
  await expect(page).toHaveURL(/\/o\/follow-co-/);
  const { path: orgPath, id: orgId } = await currentOrg(page);
  const setup = await createPeopleSetup(page, orgId, peer.url);
  const fields = {
    sourceEndpoint: '/people?_page=1&_limit=5',
    sourceConfig: { pagination: { kind: 'link-header' } },
  };
  const first = await createPeopleSync(page, setup, { name: 'First import', ...fields });
  const after = await createPeopleSync(page, setup, { name: 'Then this', ...fields });

  await page.goto(`${orgPath}/synchronisations/${first.id}/edit`);
  await expect(page.getByRole('heading', { name: 'Edit synchronisation' })).toBeVisible();
  const followUps = page.getByRole('group', { name: 'Follow-ups' });
  await followUps.getByLabel('Then this').check();
  await page.getByLabel('One-time: run once, then disable itself').check();
  await expect(page.getByLabel('Run at')).toBeVisible();
  await page.getByLabel('Or read them from a file').setInputFiles({
    name: 'ids.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('id;note\n3;third\n"7";seventh\n3;again\n'),
  });
  await expect(page.getByLabel('Selected ids (one per line)')).toHaveValue('3\n7');
  await expect(page.getByText('2 ids read from ids.csv.')).toBeVisible();
  await page.getByLabel('Path of one object').fill('/people/{{id}}');
  await shot(page, 'follow-ups-selection-form');
  await page.getByRole('button', { name: 'Save changes' }).click();

  await expect(page.getByRole('heading', { name: 'First import' })).toBeVisible();
  await expect(page.getByText('2 selected: 3, 7')).toBeVisible();
  await expect(page.getByText('runs once when started, then disables itself')).toBeVisible();
  await expect(page.getByTestId('sync-links').getByRole('link', { name: 'Then this' })).toBeVisible();

  await page.getByRole('button', { name: 'Run now' }).click();
  const progress = page.getByTestId('run-progress');
  await expect(progress.getByText('Success')).toBeVisible({ timeout: 60_000 });
  await expect(progress.getByTestId('count-created')).toHaveText('2');
  await expect(page.getByTestId('disabled-reason')).toContainText('One-time synchronisation: it ran once', {
    timeout: 15_000,
  });
  await expect(page.getByRole('button', { name: 'Enable', exact: true })).toBeVisible();
  await shot(page, 'one-time-disabled');

  // The follow-up ran after it, as a follow-up of that run.
  await expect
    .poll(
      async () => {
        const rows = await query<{ run: Run }[]>(page, 'runs.list', { orgId, syncId: after.id, limit: 5 });
        return rows.map((r) => `${r.run.trigger} ${r.run.status} ${r.run.result}`);
      },
      { timeout: 60_000 },
    )
    .toEqual(['follow-up finished success']);

  // A loop back to the first is refused beside the field, naming it.
  await page.goto(`${orgPath}/synchronisations/${after.id}/edit`);
  await page.getByRole('group', { name: 'Follow-ups' }).getByLabel('First import').check();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByTestId('field-error')).toContainText('“Then this” → “First import” → “Then this”');
  await shot(page, 'follow-ups-loop-refused');
});
