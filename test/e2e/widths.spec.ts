// Every page at every width: an organisation with something on each page (a REST source on a json-server,
// a mapping, a synchronisation that has run, a register schema with objects, a connection, a CSV source
// with a wide file, an API key, an open conflict of a two-way synchronisation, an invitation) is set up
// once through the API and the UI (widths-seed.ts); then each page of WIDTH_PAGES is visited at 1280,
// 820 and 390 px (the sign-in, sign-up and invitation pages signed out), and a test checks that list
// holds every page of app/. On each: the page is no wider than the window, each table's key column
// headers can be scrolled into view inside the table's own scroller (and are then on top, not under the
// kept first column), and below 1024 px the Menu opens the navigation. A full-page screenshot of each
// page at each width is kept: test-results/e2e/<this test>/screenshots/<width>/<page>.png, and attached
// to the HTML report.
// The server must allow private URLs (CONCORD_ALLOW_PRIVATE_URLS=1) to read the local json-server.
import { readdirSync } from 'node:fs';
import { sep } from 'node:path';
import { expect, test, type BrowserContext, type Page } from '@playwright/test';
import { jsonServerPeer, people } from './helpers';
import { WIDTH_PAGES, type Seeded } from './widths-pages';
import { seedWidths } from './widths-seed';

const stamp = Date.now().toString(36);
const peer = jsonServerPeer(() => ({ people: people(40), contacts: people(3) }));
const WIDTHS = [1280, 820, 390] as const;
/** Tailwind's lg: from here on the navigation is a sidebar, below it a Menu. */
const SIDEBAR_FROM = 1024;

test.describe.configure({ mode: 'serial' });

let seeded: Seeded;
let storageState: Awaited<ReturnType<BrowserContext['storageState']>>;

test.beforeAll(async ({ browser }) => {
  test.setTimeout(180_000);
  ({ seeded, storageState } = await seedWidths(browser, peer.url, stamp));
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
