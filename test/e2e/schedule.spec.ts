// Issue 4's walk: a REST source at a local json-server with 5,000 objects, a synchronisation into a
// register schema scheduled every minute. It runs on its schedule with no Inngest server (the embedded
// runner), the Run button runs it at once and its progress moves on the page, and the log and the
// contracts are there.
import { expect, test } from '@playwright/test';
import {
  createPeopleSetup,
  createPeopleSync,
  currentOrg,
  jsonServerPeer,
  query,
  shot,
  signUp,
} from './helpers';

const stamp = Date.now().toString(36);
const COUNT = 5000;
// A little latency per page, so a person can watch the progress move.
const peer = jsonServerPeer(
  () => ({
    people: Array.from({ length: COUNT }, (_, i) => ({
      id: i + 1,
      name: `Person ${i + 1}`,
      email: `p${i + 1}@example.test`,
    })),
  }),
  ['--delay', '40'],
);

type Run = {
  id: string;
  trigger: string;
  status: string;
  result: string | null;
  created: number;
  skipped: number;
};

test('a scheduled synchronisation runs on its own, the Run button runs it now, progress moves, log and contracts are there', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const cora = { name: 'Cora Cron', email: `cora-${stamp}@example.test`, password: 'cora password 123' };
  await signUp(page, cora, `Cron Co ${stamp}`);
  await expect(page).toHaveURL(/\/o\/cron-co-/);
  const { slug, id: orgId } = await currentOrg(page);

  // No mapping: the source objects go into the register as they are.
  const setup = await createPeopleSetup(page, orgId, peer.url, {
    jsonSchema: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' }, email: { type: 'string' } },
    },
    mapping: null,
  });
  const sync = await createPeopleSync(page, setup, {
    name: 'People every minute',
    sourceEndpoint: '/people?_page=1&_limit=100',
    sourceConfig: { pagination: { kind: 'link-header' }, maxPages: 100 },
    scheduleCron: '* * * * *',
    scheduleTimezone: 'Europe/Amsterdam',
  });

  // On schedule, with no Inngest server: the embedded runner's ticker requests it within a minute or so.
  const runs = () => query<{ run: Run }[]>(page, 'runs.list', { orgId, syncId: sync.id, limit: 20 });
  await expect
    .poll(
      async () =>
        (await runs()).find((r) => r.run.trigger === 'schedule' && r.run.status === 'finished')?.run,
      {
        timeout: 150_000,
        intervals: [2000],
      },
    )
    .toMatchObject({ result: 'success', created: COUNT });

  // The Run button, with progress moving on the page.
  await page.goto(`/o/${slug}/synchronisations/${sync.id}`);
  await page.getByRole('button', { name: 'Run now' }).click();
  const progress = page.getByTestId('run-progress');
  await expect(progress).toBeVisible();
  await expect(progress.getByText('Success')).toBeVisible({ timeout: 120_000 });
  await expect(progress.getByTestId('run-summary')).toContainText('objects processed');
  await shot(page, 'schedule-run-now');
  const manual = (await runs()).find((r) => r.run.trigger === 'manual')!.run;
  expect(manual).toMatchObject({ status: 'finished', result: 'success', skipped: COUNT });

  // The log and the contracts.
  await page.goto(`/o/${slug}/logs/${manual.id}`);
  await expect(page.getByText(/unchanged 5000|5,000/).first()).toBeVisible();
  await page.goto(`/o/${slug}/synchronisations/${sync.id}/contracts`);
  await expect(page.getByText(/5,000|5000/).first()).toBeVisible();
  await shot(page, 'schedule-contracts');
});
