// The golden path of a new user, all in the browser: sign up, upload a CSV from a real data set
// (vega-datasets' Seattle weather), create a register schema and a mapping checked in the test bench,
// create a synchronisation, run it and watch the progress, open the log and a contract with its diff;
// then edit one row of the CSV, upload it again, run, and see exactly one update.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { combobox, nav, shot, signUp } from './helpers';

const stamp = Date.now().toString(36);
const CSV = path.resolve('node_modules/vega-datasets/data/seattle-weather.csv');
const ROWS = readFileSync(CSV, 'utf8').trim().split('\n').length - 1;

test('sign up, CSV to register through a mapping, run, log, contract diff, one edited row → one update', async ({
  page,
}) => {
  test.setTimeout(240_000);
  const gina = { name: 'Gina Golden', email: `gina-${stamp}@example.test`, password: 'gina password 123' };
  await signUp(page, gina, `Weather ${stamp}`);
  await expect(page.getByRole('heading', { name: `Weather ${stamp}` })).toBeVisible();

  // A file source with the CSV.
  await nav(page, 'Sources');
  await page.getByRole('link', { name: 'New source' }).click();
  await page.getByRole('radio', { name: /^File/ }).click();
  await page.getByLabel('Name', { exact: true }).fill('Seattle weather');
  await page.getByRole('button', { name: 'Create source' }).click();
  await expect(page.getByRole('heading', { name: 'Seattle weather' })).toBeVisible();
  await page.getByLabel('Choose a file').setInputFiles(CSV);
  await expect(page.getByTestId('upload-done')).toContainText('as version 1');
  await expect(
    page.getByRole('table', { name: 'Preview rows' }).getByRole('cell', { name: '2012-01-01' }),
  ).toBeVisible();
  await shot(page, 'golden-source');

  // A register schema.
  await nav(page, 'Registers');
  await page.getByLabel('Register name').fill('Climate');
  await page.getByRole('button', { name: 'Create register' }).click();
  const card = page.getByTestId('register-Climate');
  await card.getByRole('link', { name: '+ New schema' }).click();
  await page.getByLabel('Schema name').fill('Day');
  await page.getByLabel('JSON Schema', { exact: true }).fill(
    JSON.stringify({
      type: 'object',
      required: ['date', 'weather'],
      properties: { date: { type: 'string' }, weather: { type: 'string' }, wind: { type: 'number' } },
    }),
  );
  await page.getByRole('button', { name: 'Create schema' }).click();
  await expect(page.getByRole('heading', { name: 'Day', level: 1 })).toBeVisible();

  // A mapping, checked in the test bench.
  await nav(page, 'Mappings');
  await page.getByRole('link', { name: 'Create a mapping' }).click();
  await page.getByLabel('Mapping name').fill('Day from CSV');
  const rows: [string, string][] = [
    ['date', 'date'],
    ['weather', 'weather'],
    ['wind', 'wind'],
  ];
  for (const [i, [key, value]] of rows.entries()) {
    if (i > 0) await page.getByRole('button', { name: '+ Add key' }).click();
    await page.getByLabel(`Output key ${i + 1}`, { exact: true }).fill(key);
    await page.getByLabel(`Value ${i + 1}`, { exact: true }).fill(value);
  }
  await page.getByRole('button', { name: '+ Add cast' }).click();
  await page.getByLabel('Cast key 1', { exact: true }).fill('wind');
  await page.getByLabel('Pick a cast 1').selectOption('float');
  await page
    .getByLabel('Sample source object')
    .fill('{"date":"2012-01-01","weather":"drizzle","wind":"4.7"}');
  await expect(page.getByTestId('mapped-result')).toContainText('"wind": 4.7');
  await shot(page, 'golden-mapping');
  await page.getByRole('button', { name: 'Create mapping' }).click();
  await expect(page.getByRole('heading', { name: 'Day from CSV' })).toBeVisible();

  // The synchronisation.
  await nav(page, 'Synchronisations');
  await page.getByRole('link', { name: 'New synchronisation' }).click();
  await page.getByLabel('Name *').fill('Weather days');
  await combobox(page, 'Source *').selectOption({ label: 'Seattle weather (file)' });
  await page.getByLabel('Id field').fill('date');
  await combobox(page, 'Mapping').first().selectOption({ label: 'Day from CSV' });
  await combobox(page, 'Register *').selectOption({ label: 'Climate' });
  await combobox(page, 'Schema *').selectOption({ label: 'Day' });
  await page.getByRole('button', { name: 'Create synchronisation' }).click();
  await expect(page.getByRole('heading', { name: 'Weather days' })).toBeVisible();
  const syncPath = new URL(page.url()).pathname;

  // Run, watch the progress, open the log.
  await page.getByRole('button', { name: 'Run now' }).click();
  const progress = page.getByTestId('run-progress');
  await expect(progress.getByText('Success')).toBeVisible({ timeout: 120_000 });
  await expect(progress.getByTestId('count-created')).toHaveText(
    ROWS.toLocaleString('en-US').replace(/,/g, ','),
  );
  await shot(page, 'golden-run');
  await progress.getByRole('link', { name: 'Open the log' }).click();
  await expect(page.getByText(/created 1461/i).first()).toBeVisible();
  await shot(page, 'golden-log');

  // A contract with its diff.
  await page.goto(`${syncPath}/contracts`);
  await page.getByRole('link', { name: '2012-01-01', exact: true }).click();
  await expect(page.getByRole('heading', { name: 'Contract 2012-01-01' })).toBeVisible();
  await expect(page.getByTestId('source-object')).toContainText('drizzle');
  await expect(page.getByTestId('target-object')).toContainText('drizzle');
  await expect(page.getByTestId('diff-equal')).toBeVisible();
  await shot(page, 'golden-contract');

  // One row edited, uploaded again, run: exactly one update.
  const edited = readFileSync(CSV, 'utf8').replace(
    '2012-01-02,10.9,10.6,2.8,4.5,rain',
    '2012-01-02,10.9,10.6,2.8,4.5,snow',
  );
  const dir = mkdtempSync(path.join(tmpdir(), 'golden-'));
  const file = path.join(dir, 'seattle-weather.csv');
  writeFileSync(file, edited);
  await nav(page, 'Sources');
  await page.getByRole('link', { name: 'Seattle weather' }).click();
  await page.getByLabel('Choose a file').setInputFiles(file);
  await expect(page.getByTestId('upload-done')).toContainText('as version 2');
  await page.goto(syncPath);
  await page.getByRole('button', { name: 'Run now' }).click();
  await expect(progress.getByText('Success')).toBeVisible({ timeout: 120_000 });
  await expect(progress.getByTestId('count-updated')).toHaveText('1');
  await expect(progress.getByTestId('count-created')).toHaveText('0');
  await shot(page, 'golden-one-update');
});
