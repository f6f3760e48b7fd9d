// Issue 4's walk: a REST source at a local json-server with 5,000 objects, a synchronisation into a
// register schema scheduled every minute. It runs on its schedule with no Inngest server (the embedded
// runner), the Run button runs it at once and its progress moves on the page, and the log and the
// contracts are there.
import { expect, test, type Page } from '@playwright/test';
import { startJsonServer, type JsonServer } from '../integration/helpers/json-server';

const stamp = Date.now().toString(36);
const COUNT = 5000;
let peer: JsonServer;

test.beforeAll(async () => {
  const people = Array.from({ length: COUNT }, (_, i) => ({
    id: i + 1,
    name: `Person ${i + 1}`,
    email: `p${i + 1}@example.test`,
  }));
  // A little latency per page, so a person can watch the progress move.
  peer = await startJsonServer({ people }, ['--delay', '40']);
});
test.afterAll(async () => {
  await peer?.stop();
});

/** A tRPC mutation from the signed-in page (superjson wire format). */
async function trpc<T>(page: Page, path: string, input: unknown): Promise<T> {
  const res = await page.request.post(`/api/trpc/${path}`, { data: { json: input } });
  expect(res.ok(), `${path}: ${await res.text()}`).toBe(true);
  return ((await res.json()) as { result: { data: { json: T } } }).result.data.json;
}

/** A tRPC query: input in the URL. */
async function query<T>(page: Page, path: string, input?: unknown): Promise<T> {
  const qs = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  const res = await page.request.get(`/api/trpc/${path}${qs}`);
  expect(res.ok(), `${path}: ${await res.text()}`).toBe(true);
  return ((await res.json()) as { result: { data: { json: T } } }).result.data.json;
}

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
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill('Cora Cron');
  await page.getByLabel('Email').fill(`cora-${stamp}@example.test`);
  await page.getByLabel('Password').fill('cora password 123');
  await page.getByLabel('Organisation').fill(`Cron Co ${stamp}`);
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/o\/cron-co-/);
  const slug = new URL(page.url()).pathname.split('/')[2]!;
  const me = await query<{ organisations: { orgId: string; slug: string }[] }>(page, 'account.me');
  const orgId = me.organisations.find((o) => o.slug === slug)!.orgId;

  const source = await trpc<{ id: string }>(page, 'sources.create', {
    orgId,
    name: 'People API',
    type: 'rest',
    config: { baseUrl: peer.url },
  });
  const register = await trpc<{ id: string }>(page, 'registers.create', { orgId, name: 'Directory' });
  const schema = await trpc<{ id: string }>(page, 'registers.createSchema', {
    orgId,
    registerId: register.id,
    name: 'Person',
    jsonSchema: {
      type: 'object',
      required: ['name'],
      properties: { name: { type: 'string' }, email: { type: 'string' } },
    },
  });
  const sync = await trpc<{ id: string }>(page, 'synchronisations.create', {
    orgId,
    name: 'People every minute',
    sourceId: source.id,
    sourceEndpoint: '/people?_page=1&_limit=100',
    sourceConfig: { pagination: { kind: 'link-header' }, maxPages: 100 },
    targetType: 'register',
    targetRegisterId: register.id,
    targetSchemaId: schema.id,
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
  await page.screenshot({ path: 'test-results/screenshots/schedule-run-now.png', fullPage: true });
  const manual = (await runs()).find((r) => r.run.trigger === 'manual')!.run;
  expect(manual).toMatchObject({ status: 'finished', result: 'success', skipped: COUNT });

  // The log and the contracts.
  await page.goto(`/o/${slug}/logs/${manual.id}`);
  await expect(page.getByText(/skipped 5000|5,000/).first()).toBeVisible();
  await page.goto(`/o/${slug}/synchronisations/${sync.id}/contracts`);
  await expect(page.getByText(/5,000|5000/).first()).toBeVisible();
  await page.screenshot({ path: 'test-results/screenshots/schedule-contracts.png', fullPage: true });
});
