// Every page at every width: an organisation with something on each page (a REST source on a json-server,
// a mapping, a synchronisation that has run, a register schema with objects, a connection, a CSV source
// with a wide file, an API key) is set up once through the API and the UI; then each page of
// WIDTH_PAGES is visited at 1280, 820 and 390 px. On each: the page is no wider than the window, each
// table's key column headers can be scrolled into view inside the table's own scroller (and are then
// on top, not under the kept first column), and below 1024 px the Menu opens the navigation. A
// full-page screenshot of each page at each width is kept: test-results/e2e/<this test>/screenshots/
// <width>/<page>.png, and attached to the HTML report.
// The server must allow private URLs (CONCORD_ALLOW_PRIVATE_URLS=1) to read the local json-server.
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
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
import { WIDTH_PAGES, type Seeded } from './widths-pages';

const stamp = Date.now().toString(36);
const peer = jsonServerPeer(() => ({ people: people(40) }));
const WIDTHS = [1280, 820, 390] as const;
/** Tailwind's lg: from here on the navigation is a sidebar, below it a Menu. */
const SIDEBAR_FROM = 1024;

/** A CSV far wider than a phone: 24 columns with long names and values. */
function wideCsv() {
  const columns = ['id', ...Array.from({ length: 23 }, (_, i) => `customer_reference_field_${i + 1}`)];
  const rows = Array.from({ length: 12 }, (_, r) =>
    [String(r + 1), ...columns.slice(1).map((c) => `${c}-value-of-row-${r + 1}`)].join(','),
  );
  return { columns, text: [columns.join(','), ...rows].join('\n') + '\n' };
}

test.describe.configure({ mode: 'serial' });

let seeded: Seeded;
let storageState: Awaited<ReturnType<BrowserContext['storageState']>>;

/** Wait for a run to finish (the embedded runner needs no Inngest server). */
async function finished(page: Page, orgId: string, runId: string) {
  await expect
    .poll(async () => (await query<{ finishedAt: unknown }>(page, 'runs.get', { orgId, runId })).finishedAt, {
      timeout: 60_000,
    })
    .toBeTruthy();
}

async function seed(browser: Browser): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const wendy = {
    name: 'Wendy Widths',
    email: `wendy-${stamp}@example.test`,
    password: 'wendy password 123',
  };
  const orgName = `Widths Co ${stamp}`;
  await signUp(page, wendy, orgName);
  await expect(page).toHaveURL(/\/o\/widths-co-/);
  const { path: org, id: orgId } = await currentOrg(page);

  const setup = await createPeopleSetup(page, orgId, peer.url);
  const syncName = `People into the directory ${stamp}`;
  const { id: syncId } = await createPeopleSync(page, setup, {
    name: syncName,
    sourceEndpoint: '/people',
    sourceConfig: {},
    scheduleCron: '0 6 * * *',
    scheduleTimezone: 'Europe/Amsterdam',
  });
  const { runId } = await mutate<{ runId: string }>(page, 'synchronisations.run', { orgId, syncId });
  await finished(page, orgId, runId);
  const contracts = await query<{ rows: { id: string }[] }>(page, 'contracts.list', { orgId, syncId });
  expect(contracts.rows.length).toBeGreaterThan(0);

  // A connection of the same source, found by discovery.
  const found = await mutate<{ ok: boolean; types: { fields: unknown[]; idField?: string }[] }>(
    page,
    'connections.discover',
    { orgId, sourceId: setup.sourceId, endpoints: ['/people?_page=1&_limit=5'] },
  );
  expect(found.ok).toBe(true);
  const type = found.types[0]!;
  const connection = await mutate<{ id: string }>(page, 'connections.create', {
    orgId,
    name: 'People feed',
    sourceId: setup.sourceId,
    types: [{ ...type, idField: type.idField ?? 'id' }],
  });

  await mutate(page, 'apiKeys.create', { orgId, name: 'Nightly export job' });

  // A file source with a wide CSV, uploaded through the file picker.
  const csvSource = await mutate<{ id: string }>(page, 'sources.create', {
    orgId,
    name: 'Wide export',
    type: 'file',
    config: { format: 'csv' },
  });
  const csv = wideCsv();
  await page.goto(`${org}/sources/${csvSource.id}`);
  await page.getByLabel('Choose a file').setInputFiles({
    name: 'wide-export.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(csv.text),
  });
  await expect(page.getByTestId('upload-done')).toContainText('as version 1');

  seeded = {
    org,
    orgName,
    restSourceId: setup.sourceId,
    csvSourceId: csvSource.id,
    mappingId: setup.mappingId!,
    syncId,
    syncName,
    runId,
    contractId: contracts.rows[0]!.id,
    registerId: setup.registerId,
    schemaId: setup.schemaId,
    connectionId: connection.id,
    csvLastColumn: csv.columns.at(-1)!,
  };
  storageState = await context.storageState();
  await context.close();
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  await seed(browser);
});

/** The outermost elements that stick out past the window's right edge (the culprits, not their children). */
function overflowingElements(page: Page) {
  return page.evaluate(() => {
    const limit = window.innerWidth + 1;
    const out: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const right = el.getBoundingClientRect().right;
      const parent = el.parentElement;
      if (right <= limit || !parent || parent.getBoundingClientRect().right > limit) continue;
      out.push(
        `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 80)} (right ${Math.round(right)})`,
      );
    }
    return out.slice(0, 8);
  });
}

/** A column header inside the table scroller `label`: scrolled into view there, and then not covered. */
async function expectReachable(page: Page, label: string, header: string, where: string) {
  const scroller = page.getByRole('region', { name: label, exact: true }).first();
  await expect(scroller, `${where}: the table “${label}”`).toBeVisible();
  const cell = scroller.getByRole('columnheader', { name: header, exact: true }).first();
  await expect(cell, `${where}: “${header}” in “${label}”`).toHaveCount(1);
  await cell.scrollIntoViewIfNeeded();
  await expect(cell).toBeVisible();
  const seen = await cell.evaluate((el) => {
    const box = el.getBoundingClientRect();
    const frame = el.closest('[data-table-scroll]')!.getBoundingClientRect();
    // The header's right end (where its text ends for right-aligned numbers, and what scrollIntoView
    // brings in from the right): inside the window and the scroller, and the topmost element there.
    const x = Math.min(box.right, frame.right, window.innerWidth) - 3;
    const y = box.top + box.height / 2;
    const hit = document.elementFromPoint(x, y);
    return {
      inWindow: box.right <= window.innerWidth + 1 && box.left >= -1,
      inFrame: box.right <= frame.right + 1,
      onTop: !!hit && (hit === el || el.contains(hit)),
    };
  });
  expect(seen, `${where}: “${header}” in “${label}” can be seen`).toEqual({
    inWindow: true,
    inFrame: true,
    onTop: true,
  });
}

for (const width of WIDTHS) {
  test(`every page at ${width} px: no sideways scrolling, key columns reachable, screenshots kept`, async ({
    browser,
  }, testInfo) => {
    test.setTimeout(240_000);
    const context = await browser.newContext({ storageState, viewport: { width, height: 900 } });
    const page = await context.newPage();
    for (const spec of WIDTH_PAGES) {
      const where = `${spec.name} at ${width} px`;
      await page.goto(spec.path(seeded));
      await expect(page.getByRole('heading', { level: 1, name: spec.heading(seeded) }), where).toBeVisible();
      await expect(page.getByRole('status').filter({ hasText: /^Loading/ }), where).toHaveCount(0);

      const wide = await page.evaluate(() => ({
        scroll: document.scrollingElement!.scrollWidth,
        window: window.innerWidth,
      }));
      if (wide.scroll > wide.window + 1)
        expect(
          { ...wide, culprits: await overflowingElements(page) },
          `${where}: the page is wider than the window`,
        ).toEqual({ ...wide, scroll: wide.window, culprits: [] });

      for (const [label, headers] of Object.entries(spec.tables?.(seeded) ?? {}))
        for (const header of headers) await expectReachable(page, label, header, where);

      const file = testInfo.outputPath('screenshots', String(width), `${spec.name}.png`);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: file, fullPage: true });
      await testInfo.attach(`${width}-${spec.name}`, { path: file, contentType: 'image/png' });
    }

    // The navigation: a sidebar on a wide window; below it, a Menu that opens it and closes on a link.
    await page.goto(seeded.org);
    const nav = page.getByRole('navigation', { name: 'Main' });
    if (width >= SIDEBAR_FROM) {
      await expect(nav).toBeVisible();
      await expect(page.getByRole('button', { name: 'Menu' })).toBeHidden();
    } else {
      await expect(nav).toHaveCount(0);
      await page.getByRole('button', { name: 'Menu' }).click();
      await expect(nav).toBeVisible();
      await expect(page.getByRole('dialog', { name: 'Menu' }).getByLabel('Organisation')).toBeVisible();
      const file = testInfo.outputPath('screenshots', String(width), 'menu-open.png');
      await page.screenshot({ path: file });
      await testInfo.attach(`${width}-menu-open`, { path: file, contentType: 'image/png' });
      await nav.getByRole('link', { name: 'Logs' }).click();
      await expect(page.getByRole('heading', { level: 1, name: 'Logs' })).toBeVisible();
      await expect(page.getByRole('dialog', { name: 'Menu' })).toHaveCount(0);
    }
    await context.close();
  });
}
