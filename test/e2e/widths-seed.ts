// The organisation the width checks visit (widths.spec.ts), set up once through the API and the UI: a
// REST source on a json-server with a synchronisation that has run, a register schema with objects, a
// connection, a CSV source with a wide file, an API key, an open conflict of a two-way synchronisation
// and an invitation.
import { expect, type Browser, type BrowserContext, type Page } from '@playwright/test';
import {
  createPeopleSetup,
  createPeopleSync,
  currentOrg,
  mutate,
  PERSON_JSON_SCHEMA,
  query,
  signUp,
} from './helpers';
import type { Seeded } from './widths-pages';

type StorageState = Awaited<ReturnType<BrowserContext['storageState']>>;

/** A CSV far wider than a phone: 24 columns with long names and values. */
function wideCsv() {
  const columns = ['id', ...Array.from({ length: 23 }, (_, i) => `customer_reference_field_${i + 1}`)];
  const rows = Array.from({ length: 12 }, (_, r) =>
    [String(r + 1), ...columns.slice(1).map((c) => `${c}-value-of-row-${r + 1}`)].join(','),
  );
  return { columns, text: [columns.join(','), ...rows].join('\n') + '\n' };
}

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
  peerUrl: string,
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
  const patched = await fetch(`${peerUrl}/contacts/1`, {
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

/**
 * Sets the organisation up (see widths.spec.ts) as Wendy, against the json-server peer at `peerUrl`;
 * returns what the pages need and Wendy's signed-in browser state.
 */
export async function seedWidths(
  browser: Browser,
  peerUrl: string,
  stamp: string,
): Promise<{ seeded: Seeded; storageState: StorageState }> {
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

  const setup = await createPeopleSetup(page, orgId, peerUrl);
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
  const conflictId = await seedConflict(page, orgId, setup, peerUrl);
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

  const seeded: Seeded = {
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
  const storageState = await context.storageState();
  await context.close();
  return { seeded, storageState };
}
