// Before saving, not after: a new REST source tried with Test connection before it exists (a sample,
// and a failure with what to do), then saved; a CSV upload whose preview counts its rows and flags a
// duplicate id and a bad row, whose chosen id column is saved for synchronisations, and a broken file
// refused at upload while the previous version stays; the mapping bench takes a sample straight from
// the source and flags the text "1970" for an integer field of the target schema, at the field.
// The server allows private URLs (playwright.config.ts) so it may call the local json-server.
import { expect, test, type Page } from '@playwright/test';
import { currentOrg, jsonServerPeer, mutate, nav, shot, signUp } from './helpers';

const stamp = Date.now().toString(36);
const peer = jsonServerPeer(() => ({
  cars: [
    { id: 1, make: 'Volvo', model: '142', year: 1970 },
    { id: 2, make: 'Saab', model: '99', year: 1972 },
  ],
}));

const CSV = [
  'code,name,city',
  'A1,Ada,London',
  'B2,Grace,New York',
  'A1,Alan,Wilmslow',
  'C3,Edsger',
  'D4,Barbara,Boston',
  '',
].join('\n');

const csvFile = (name: string, text: string) => ({ name, mimeType: 'text/csv', buffer: Buffer.from(text) });

async function newSource(page: Page, type: RegExp, name: string) {
  await nav(page, 'Sources');
  await page.getByRole('link', { name: 'New source' }).click();
  await page.getByRole('radio', { name: type }).click();
  await page.getByLabel('Name', { exact: true }).fill(name);
}

test('test a new source before saving, check a CSV before syncing, check a mapping against its schema', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const fay = { name: 'Fay Forms', email: `fay-${stamp}@example.test`, password: 'fay password 123' };
  await signUp(page, fay, `Forms ${stamp}`);
  // The first page of a cold server on a busy machine may take a while.
  await expect(page.getByRole('heading', { name: `Forms ${stamp}` })).toBeVisible({ timeout: 20_000 });

  // A REST source, tried before it exists.
  await newSource(page, /^REST API/, 'Cars API');
  await page.getByLabel('Base URL').fill(peer.url);
  const tester = page.getByRole('region', { name: 'Test connection' });
  await tester.getByLabel('Endpoint to test (optional)').fill('/nowhere');
  await tester.getByRole('button', { name: 'Test connection' }).click();
  await expect(tester.getByTestId('test-failed')).toContainText('404');
  await expect(tester.getByTestId('test-advice')).toContainText('check the base URL and the endpoint');
  await tester.getByLabel('Endpoint to test (optional)').fill('/cars');
  await tester.getByRole('button', { name: 'Test connection' }).click();
  const result = tester.getByTestId('test-result');
  await expect(result).toContainText('200 OK');
  await expect(result).toContainText('_root · 2 on this page');
  await expect(result).toContainText('"make": "Volvo"');
  await shot(page, 'new-source-tested');
  await page.getByRole('button', { name: 'Create source' }).click();
  await expect(page.getByRole('heading', { name: 'Cars API' })).toBeVisible();

  // A CSV file: the preview counts the whole file and flags the duplicate id and the bad row.
  await newSource(page, /^File/, 'Cars file');
  await page.getByRole('button', { name: 'Create source' }).click();
  await expect(page.getByRole('heading', { name: 'Cars file' })).toBeVisible();
  await page.getByLabel('Choose a file').setInputFiles(csvFile('people.csv', CSV));
  await expect(page.getByTestId('upload-done')).toContainText('as version 1');
  const scan = page.getByTestId('file-scan');
  await expect(page.getByLabel('Id column')).toHaveValue('code');
  await expect(scan.getByTestId('row-count')).toHaveText('4 rows');
  // Every row named by its file line, as an editor shows it (the header is line 1).
  await expect(scan.getByTestId('bad-rows')).toContainText('Line 5: it has 2 fields but the header has 3');
  await expect(scan.getByTestId('duplicate-ids')).toContainText('A1: 2 rows (lines 2, 4)');
  const table = page.getByRole('table', { name: 'Preview rows' });
  await expect(table.locator('tr[data-flag="duplicate id"]')).toHaveCount(2);
  await shot(page, 'csv-preview-flags');

  // The id column chosen here is what synchronisations use.
  await page.getByRole('button', { name: 'Use code as the id column' }).click();
  await expect(page.getByTestId('id-suggestion')).toContainText(
    'Synchronisations of this source identify each row by code',
  );

  // A file that cannot be parsed is refused with its line; version 1 stays the one read.
  await page
    .getByLabel('Choose a file')
    .setInputFiles(csvFile('broken.csv', 'code,name\nA1,Ada\nB2,"never closed\nC3,x\n'));
  await expect(page.getByRole('alert').filter({ hasText: 'The file was not stored' })).toContainText(
    'line 3',
  );
  await expect(page.getByRole('heading', { name: /Preview · version 1/ })).toBeVisible();
  await expect(page.getByTestId('version-2')).toHaveCount(0);

  // The mapping bench: a sample from the REST source, checked against the register schema.
  const { id: orgId } = await currentOrg(page);
  const register = await mutate<{ id: string }>(page, 'registers.create', { orgId, name: 'Garage' });
  await mutate(page, 'registers.createSchema', {
    orgId,
    registerId: register.id,
    name: 'Car',
    jsonSchema: {
      type: 'object',
      properties: { make: { type: 'string' }, year: { type: 'integer' } },
      required: ['make', 'year'],
    },
  });
  await nav(page, 'Mappings');
  await page.getByRole('link', { name: 'Create a mapping' }).click();
  await page.getByLabel('Mapping name').fill('Car');
  await page.getByLabel('Output key 1', { exact: true }).fill('make');
  await page.getByLabel('Value 1', { exact: true }).fill('make');
  await page.getByRole('button', { name: '+ Add key' }).click();
  await page.getByLabel('Output key 2', { exact: true }).fill('year');
  await page.getByLabel('Value 2', { exact: true }).fill('{{ year }}');
  const bench = page.getByTestId('source-sample');
  await bench.getByLabel('Sample from source').selectOption({ label: 'Cars API' });
  await bench.getByLabel('Endpoint').fill('/cars');
  await bench.getByRole('button', { name: 'Take a sample' }).click();
  await expect(page.getByLabel('Sample source object')).toHaveValue(/"make": "Volvo"/);
  await page.getByLabel('Check against the schema').selectOption({ label: 'Garage › Car' });
  const findings = page.getByTestId('schema-findings');
  await expect(findings.locator('li[data-field="year"]')).toContainText(
    '“year” is the text "1970", but the schema wants a whole number. Add the cast “int”',
  );
  await shot(page, 'mapping-bench-schema-check');
});
