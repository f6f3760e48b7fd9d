// Sources as a new user meets them: an empty list that says what to do, a file source with a real CSV
// (vega-datasets) uploaded through the file picker, its preview with the detected delimiter and header,
// saved CSV settings, a second version and pinning the first; a REST source (a json-server started
// here) whose secrets show only as set / not set, its connection test with what was detected, and a
// failing test's reason.
// The server allows private URLs (playwright.config.ts) so it may call the local json-server.
// Screenshots go to test-results/screenshots.
import { expect, test, type Page } from '@playwright/test';
import {
  acceptInvitation,
  createInvitationLink,
  jsonServerPeer,
  nav,
  shot,
  signOut,
  signUp,
} from './helpers';

const stamp = Date.now().toString(36);
const CSV = 'node_modules/vega-datasets/data/seattle-weather.csv';

const peer = jsonServerPeer(() => ({
  items: Array.from({ length: 12 }, (_, i) => ({ uuid: `u-${i + 1}`, name: `item ${i + 1}` })),
}));

async function newSource(page: Page, type: RegExp, name: string) {
  await nav(page, 'Sources');
  await page.getByRole('link', { name: 'New source' }).click();
  await page.getByRole('radio', { name: type }).click();
  await page.getByLabel('Name', { exact: true }).fill(name);
}

test('a file source from a real CSV, and a REST source with write-only secrets', async ({ page }) => {
  const sam = { name: 'Sam Sources', email: `sam-${stamp}@example.test`, password: 'sam password 123' };
  await signUp(page, sam, `Sources ${stamp}`);
  await expect(page.getByRole('heading', { name: `Sources ${stamp}` })).toBeVisible();
  await nav(page, 'Sources');
  await expect(page.getByText('No sources yet')).toBeVisible();
  await shot(page, 'sources-empty');

  // A file source: create, upload through the file picker, check the preview.
  await newSource(page, /^File/, 'Seattle weather');
  await page.getByRole('button', { name: 'Create source' }).click();
  await expect(page.getByRole('heading', { name: 'Seattle weather' })).toBeVisible();
  await expect(page.getByText('No file yet')).toBeVisible();
  await page.getByLabel('Choose a file').setInputFiles(CSV);
  await expect(page.getByTestId('upload-done')).toContainText('as version 1');
  const delimiter = page.getByLabel('Delimiter');
  await expect(delimiter.locator('option:checked')).toHaveText('Detect: Comma (,)');
  await expect(page.getByTestId('csv-dialect')).toContainText('encoding utf-8, 6 columns');
  const rows = page.getByRole('table', { name: 'Preview rows' });
  for (const column of ['date', 'precipitation', 'temp_max', 'weather'])
    await expect(rows.getByRole('columnheader', { name: column, exact: true })).toBeVisible();
  await expect(rows.getByRole('cell', { name: '2012-01-01' })).toBeVisible();
  await expect(page.getByLabel('Id column')).toHaveValue('date');
  await page.setViewportSize({ width: 820, height: 1180 });
  await shot(page, 'file-source-preview-tablet');
  await page.setViewportSize({ width: 1280, height: 800 });

  // Changing an option re-reads the file; saving stores the choice on the source.
  await delimiter.selectOption(';');
  await expect(
    rows.getByRole('columnheader', { name: 'date,precipitation,temp_max,temp_min,wind,weather' }),
  ).toBeVisible();
  await delimiter.selectOption(',');
  await expect(rows.getByRole('columnheader', { name: 'weather', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Save CSV settings' }).click();
  await expect(page.getByText('CSV settings saved.')).toBeVisible();
  await expect(delimiter).toHaveValue(',');
  await shot(page, 'file-source-saved');

  // A new version keeps the same source.
  await page.getByLabel('Choose a file').setInputFiles(CSV);
  await expect(page.getByTestId('upload-done')).toContainText('as version 2');
  await expect(page.getByRole('heading', { name: /Preview · version 2/ })).toBeVisible();
  await expect(page.getByTestId('version-1')).toBeVisible();

  // Pinning version 1: synchronisations read it (and the preview shows it) until the newest is chosen again.
  const version1 = page.getByTestId('version-1');
  const version2 = page.getByTestId('version-2');
  await expect(version2).toContainText('read by syncs');
  await expect(version2.getByRole('button', { name: 'Use this version' })).toHaveCount(0);
  await version1.getByRole('button', { name: 'Use this version' }).click();
  await expect(version1).toContainText('pinned, read by syncs');
  await expect(page.getByTestId('pinned-version')).toContainText('read version 1, not the newest');
  await expect(page.getByRole('heading', { name: /Preview · version 1/ })).toBeVisible();
  await expect(version1.getByRole('button', { name: 'Use this version' })).toHaveCount(0);
  await shot(page, 'file-source-pinned');
  await page.getByRole('button', { name: 'Read the newest version' }).click();
  await expect(page.getByTestId('pinned-version')).toHaveCount(0);
  await expect(version2).toContainText('read by syncs');
  await expect(page.getByRole('heading', { name: /Preview · version 2/ })).toBeVisible();

  // A REST source: secrets are never shown, only whether they are set.
  await newSource(page, /^REST API/, 'Weather API');
  await page.getByLabel('Base URL').fill(peer.url);
  await page.getByLabel('Authentication type').selectOption('bearer');
  await expect(page.getByTestId('secret-token')).toContainText('not set');
  await page.getByRole('textbox', { name: 'Bearer token' }).fill('very-secret-token-123');
  await page.getByRole('button', { name: 'Create source' }).click();
  await expect(page.getByRole('heading', { name: 'Weather API' })).toBeVisible();
  await expect(page.getByTestId('secret-token')).toContainText('set');
  await expect(page.getByTestId('secret-token')).not.toContainText('not set');
  await expect(page.getByRole('textbox', { name: 'Bearer token' })).toHaveValue('');
  await page.getByLabel('Authentication type').selectOption('apiKey');
  await expect(page.getByTestId('secret-apiKey')).toContainText('not set');
  await expect(page.getByText('Stored but not used by this authentication')).toBeVisible();
  await page.getByLabel('Authentication type').selectOption('bearer');

  // Test connection: what Concord detects, and a failure's reason, on the page.
  await page.getByLabel('Endpoint (optional)').fill('/items?_page=1&_limit=5');
  await page.getByRole('button', { name: 'Test connection' }).click();
  const result = page.getByTestId('test-result');
  await expect(result).toContainText('200 OK');
  await expect(result).toContainText('_root · 5 on this page');
  await expect(result).toContainText('uuid');
  await expect(result).toContainText('Link header');
  await expect(result).not.toContainText('very-secret-token-123');
  await shot(page, 'rest-source-test');
  await page.getByLabel('Endpoint (optional)').fill('/nothing-here');
  await page.getByRole('button', { name: 'Test connection' }).click();
  await expect(page.getByTestId('test-failed')).toContainText('404');

  await page.getByRole('link', { name: '← All sources' }).click();
  await expect(page.getByTestId('source-Seattle weather')).toContainText('seattle-weather.csv · version 2');
  await expect(page.getByTestId('source-Weather API')).toContainText(peer.url);
  await shot(page, 'sources-list');

  // A viewer sees the same pages, read-only: no new source, no upload, a disabled form, no test.
  const listPath = new URL(page.url()).pathname;
  await nav(page, 'Members');
  const link = await createInvitationLink(page, 'viewer');
  await signOut(page);
  const vera = { name: 'Vera Viewer', email: `vera-${stamp}@example.test`, password: 'vera password 123' };
  await acceptInvitation(page, link, vera);
  await expect(page.getByTestId('signed-in-as')).toHaveText('Vera Viewer · viewer');
  await page.goto(listPath);
  await expect(page.getByTestId('source-Seattle weather')).toBeVisible();
  await expect(page.getByRole('link', { name: 'New source' })).toHaveCount(0);
  await page.getByRole('link', { name: 'Seattle weather' }).click();
  await expect(page.getByRole('heading', { name: /Preview · version 2/ })).toBeVisible();
  await expect(page.getByText('Upload a file')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Use this version' })).toHaveCount(0);
  await expect(page.getByLabel('Name', { exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Save' })).toHaveCount(0);
  await shot(page, 'file-source-viewer');
  await page.goto(listPath);
  await page.getByRole('link', { name: 'Weather API' }).click();
  await expect(page.getByText('Editors can test the connection')).toBeVisible();
  await expect(page.getByTestId('secret-token')).toContainText('set');
  await expect(page.getByRole('button', { name: 'Remove' })).toBeDisabled();
});
