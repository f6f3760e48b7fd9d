// Every page at every width: an organisation with something on each page (a REST source on a json-server,
// a mapping, a synchronisation that has run, a register schema with objects, a connection, a CSV source
// with a wide file, an API key, an open conflict of a two-way synchronisation, an invitation) is set up
// once through the API and the UI; then each page of WIDTH_PAGES is visited at 1280, 820 and 390 px (the
// sign-in, sign-up and invitation pages signed out), and a test checks that list holds every page of
// app/. On each: the page is no wider than the window, each
// table's key column headers can be scrolled into view inside the table's own scroller (and are then
// on top, not under the kept first column), and below 1024 px the Menu opens the navigation. A
// full-page screenshot of each page at each width is kept: test-results/e2e/<this test>/screenshots/
// <width>/<page>.png, and attached to the HTML report.
// The server must allow private URLs (CONCORD_ALLOW_PRIVATE_URLS=1) to read the local json-server.
import { readdirSync } from 'node:fs';
import { sep } from 'node:path';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import {
  createPeopleSetup,
  createPeopleSync,
  currentOrg,
  jsonServerPeer,
  mutate,
  PERSON_JSON_SCHEMA,
  people,
  query,
  signUp,
} from './helpers';
import { WIDTH_PAGES, type Seeded } from './widths-pages';

const stamp = Date.now().toString(36);
const peer = jsonServerPeer(() => ({ people: people(40), contacts: people(3) }));
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

/**
 * An open conflict for the conflict's own page: a two-way synchronisation of the peer's contacts with a
 * Contact schema, run once; then contact 1 changes on both sides and the next run finds the conflict.
 */
async function seedConflict(
  page: Page,
  orgId: string,
  setup: Awaited<ReturnType<typeof createPeopleSetup>>,
): Promise<string> {
  const schema = await mutate<{ id: string }>(page, 'registers.createSchema', {
    orgId,
    registerId: setup.registerId,
    name: 'Contact',
    jsonSchema: PERSON_JSON_SCHEMA,
  });
  const mapping = await mutate<{ id: string }>(page, 'mappings.create', {
    orgId,
    name: 'Contact',
    config: { mapping: { name: 'name', email: 'email', city: 'address.city' } },
  });
  const sync = await mutate<{ id: string }>(page, 'synchronisations.create', {
    orgId,
    name: 'Contacts both ways',
    sourceId: setup.sourceId,
    sourceEndpoint: '/contacts',
    mappingId: mapping.id,
    targetType: 'register',
    targetRegisterId: setup.registerId,
    targetSchemaId: schema.id,
    direction: 'two-way',
    twoWay: { conflictPolicy: 'manual' },
  });
  const runOnce = async () => {
    const { runId } = await mutate<{ runId: string }>(page, 'synchronisations.run', {
      orgId,
      syncId: sync.id,
    });
    await finished(page, orgId, runId);
  };
  await runOnce();
  const objects = await query<{ rows: { id: string; version: number; data: Record<string, unknown> }[] }>(
    page,
    'registers.objects',
    { orgId, schemaId: schema.id, search: 'person1@example.test' },
  );
  const contact = objects.rows[0]!;
  await mutate(page, 'registers.updateObject', {
    orgId,
    objectId: contact.id,
    version: contact.version,
    data: { ...contact.data, name: 'Person One (register)' },
  });
  const patched = await fetch(`${peer.url}/contacts/1`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'Person One (source)' }),
  });
  expect(patched.ok).toBe(true);
  await runOnce();
  const open = await query<{ rows: { id: string }[] }>(page, 'conflicts.list', {
    orgId,
    syncId: sync.id,
    status: 'open',
  });
  expect(open.rows).toHaveLength(1);
  return open.rows[0]!.id;
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
  const conflictId = await seedConflict(page, orgId, setup);
  const invitation = await mutate<{ token: string }>(page, 'members.invite', { orgId, role: 'viewer' });

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
    conflictId,
    inviteToken: invitation.token,
    csvLastColumn: csv.columns.at(-1)!,
  };
  storageState = await context.storageState();
  await context.close();
}

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  await seed(browser);
});

/**
 * What sticks out past the window's right edge and is not clipped by a scroller: the outermost such
 * elements (the culprits, not their children).
 */
function overflowingElements(page: Page) {
  return page.evaluate(() => {
    const limit = window.innerWidth + 1;
    const clipped = (el: Element) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement)
        if (getComputedStyle(a).overflowX !== 'visible' && a.getBoundingClientRect().right <= limit)
          return true;
      return false;
    };
    const out: string[] = [];
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const right = el.getBoundingClientRect().right;
      if (right <= limit || clipped(el)) continue;
      const parent = el.parentElement;
      if (
        parent &&
        parent !== document.body &&
        parent.getBoundingClientRect().right > limit &&
        !clipped(parent)
      )
        continue;
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
  expect.soft(seen, `${where}: “${header}” in “${label}” can be seen`).toEqual({
    inWindow: true,
    inFrame: true,
    onTop: true,
  });
}

/** Every page of the app as a pattern of its URL (`/o/[slug]/logs/[runId]` → a regex), but the front door, which only redirects. */
function appPages(): { file: string; pattern: RegExp }[] {
  const files = readdirSync('app', { recursive: true, encoding: 'utf8' }).filter(
    (f) => f.endsWith(`${sep}page.tsx`) && f !== 'page.tsx',
  );
  return files.map((file) => {
    const route = file
      .split(sep)
      .slice(0, -1)
      .filter((part) => !/^\(.*\)$/.test(part)) // route groups such as (auth) are not in the URL
      .map((part) => (/^\[.*\]$/.test(part) ? '[^/]+' : part))
      .join('/');
    return { file, pattern: new RegExp(`^/${route}$`) };
  });
}

test('the width checks visit every page of the app', () => {
  const visited = WIDTH_PAGES.map((p) => p.path(seeded));
  const missing = appPages().filter(({ pattern }) => !visited.some((path) => pattern.test(path)));
  expect(
    missing.map((m) => m.file),
    'pages to add to test/e2e/widths-pages.ts',
  ).toEqual([]);
});

for (const width of WIDTHS) {
  test(`every page at ${width} px: no sideways scrolling, key columns reachable, screenshots kept`, async ({
    browser,
  }, testInfo) => {
    test.setTimeout(420_000);
    const context = await browser.newContext({ storageState, viewport: { width, height: 900 } });
    const signedIn = await context.newPage();
    // Signing in, signing up and an invitation are seen by someone without a session.
    const outside = await browser.newContext({ viewport: { width, height: 900 } });
    const outsidePage = await outside.newPage();
    // The Menu drawer locks scrolling with a <style> element: it must carry the CSP nonce.
    await signedIn.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { __csp: string[] }).__csp = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective}`));
    });
    for (const spec of WIDTH_PAGES) {
      const where = `${spec.name} at ${width} px`;
      const page = spec.signedOut ? outsidePage : signedIn;
      await page.goto(spec.path(seeded));
      await expect(
        page.getByRole('heading', { level: spec.headingLevel ?? 1, name: spec.heading(seeded) }),
        where,
      ).toBeVisible();
      await expect(page.getByRole('status').filter({ hasText: /^Loading/ }), where).toHaveCount(0);

      const wide = await page.evaluate(() => ({
        scroll: document.scrollingElement!.scrollWidth,
        window: window.innerWidth,
      }));
      if (wide.scroll > wide.window + 1)
        // Soft: one run reports every page that overflows, not only the first.
        expect
          .soft(
            { ...wide, culprits: await overflowingElements(page) },
            `${where}: the page is wider than the window`,
          )
          .toEqual({ ...wide, scroll: wide.window, culprits: [] });

      for (const [label, headers] of Object.entries(spec.tables?.(seeded) ?? {}))
        for (const header of headers) await expectReachable(page, label, header, where);

      const file = testInfo.outputPath('screenshots', String(width), `${spec.name}.png`);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: file, fullPage: true });
      await testInfo.attach(`${width}-${spec.name}`, { path: file, contentType: 'image/png' });
    }

    const page = signedIn;
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
    expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
    await outside.close();
    await context.close();
  });
}

/** The relative luminance (0 black … 1 white) of a CSS colour as the browser computes it. */
function luminance(color: string) {
  const nums = (color.match(/[\d.]+/g) ?? []).map(Number);
  // Tailwind 4's colours are oklch; the browser may report them as oklch/oklab (L in 0…1 or %) or lab.
  if (/^okl(ch|ab)/.test(color)) return (nums[0]! / (/^okl\w+\([\d.]+%/.test(color) ? 100 : 1)) ** 3;
  if (color.startsWith('lab')) return ((nums[0]! + 16) / 116) ** 3;
  const [r, g, b] = nums.map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

test('dark mode follows the system: dark surfaces, light text, on the main pages', async ({
  browser,
}, testInfo) => {
  test.setTimeout(120_000);
  const context = await browser.newContext({
    storageState,
    viewport: { width: 1280, height: 900 },
    colorScheme: 'dark',
  });
  const page = await context.newPage();
  for (const name of ['overview', 'synchronisations', 'source-csv', 'contracts', 'schema', 'settings']) {
    const spec = WIDTH_PAGES.find((p) => p.name === name)!;
    await page.goto(spec.path(seeded));
    const heading = page.getByRole('heading', { level: 1, name: spec.heading(seeded) });
    await expect(heading).toBeVisible();
    const colours = await page.evaluate(() => {
      const style = (el: Element | null) => (el ? getComputedStyle(el) : null);
      const nav = document.querySelector('aside');
      const input = document.querySelector('main input, main select');
      return {
        page: style(document.body)!.backgroundColor,
        text: style(document.querySelector('main h1'))!.color,
        nav: style(nav)!.backgroundColor,
        navLink: style(nav?.querySelector('nav a') ?? null)!.color,
        input: style(input)?.backgroundColor ?? null,
        inputText: style(input)?.color ?? null,
      };
    });
    expect(luminance(colours.page), `${name}: the page is dark`).toBeLessThan(0.1);
    expect(luminance(colours.nav), `${name}: the sidebar is dark`).toBeLessThan(0.1);
    expect(luminance(colours.text), `${name}: the heading is light`).toBeGreaterThan(0.6);
    expect(luminance(colours.navLink), `${name}: the navigation is light on dark`).toBeGreaterThan(0.5);
    if (colours.input) {
      expect(luminance(colours.input), `${name}: inputs are dark`).toBeLessThan(0.1);
      expect(luminance(colours.inputText!), `${name}: input text is light`).toBeGreaterThan(0.5);
    }
    const file = testInfo.outputPath('screenshots', 'dark', `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    await testInfo.attach(`dark-${name}`, { path: file, contentType: 'image/png' });
  }
  await context.close();
});
