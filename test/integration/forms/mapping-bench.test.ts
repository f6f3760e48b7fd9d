// The mapping bench before anything runs: a sample taken straight from a source (json-server's first
// object, an uploaded file's first row), mapped, and checked against the target register schema — a
// template that yields the text "1970" for an integer field is flagged at that field with what to do,
// and the cast it names makes the object fit. Also a register schema inferred from the same samples.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFor, createOwner } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { uploadVersion } from '../helpers/sync-more';

const cars = [
  { id: 1, make: 'Volvo', model: '142', year: 1970, sold: '1971-03-02T10:00:00Z', dealer: 'a@cars.test' },
  { id: 2, make: 'Saab', model: '99', year: 1972, sold: '1973-05-01T09:30:00Z', dealer: 'b@cars.test' },
];

let db: TestDatabase;
let server: JsonServer;
let owner: Awaited<ReturnType<typeof createOwner>>;

beforeAll(async () => {
  db = await createTestDatabase();
  server = await startJsonServer({ cars });
  owner = await createOwner(db.db);
});
afterAll(async () => {
  await server.stop();
  await db.close();
});

const api = () => callerFor(db.db, owner.user);
/** The schema check of a preview, when a schema was named. */
const schemaOf = (preview: object) =>
  'schema' in preview
    ? (preview.schema as { name: string; findings: { field: string; message: string }[] })
    : null;
const orgId = () => owner.org.id;

async function carSchema() {
  const register = await api().registers.create({ orgId: orgId(), name: `Garage ${Math.random()}` });
  return api().registers.createSchema({
    orgId: orgId(),
    registerId: register.id,
    name: 'Car',
    jsonSchema: {
      type: 'object',
      properties: { make: { type: 'string' }, year: { type: 'integer' } },
      required: ['make', 'year'],
    },
  });
}

describe('the mapping bench', () => {
  it('takes a sample from a REST source and flags the text "1970" for an integer field, at the field', async () => {
    const source = await api().sources.create({
      orgId: orgId(),
      name: 'Cars API',
      type: 'rest',
      config: { baseUrl: server.url },
    });
    const sample = await api().sources.sample({ orgId: orgId(), sourceId: source.id, endpoint: '/cars' });
    if (!sample.ok) throw new Error(sample.reason);
    expect(sample.objects[0]).toEqual(cars[0]);

    const schema = await carSchema();
    const config = { mapping: { make: 'make', year: '{{ year }}' } };
    const checked = await api().mappings.preview({
      orgId: orgId(),
      config,
      sample: sample.objects[0]!,
      schemaId: schema.id,
    });
    if (!checked.ok) throw new Error('the mapping failed');
    expect(checked.result).toEqual({ make: 'Volvo', year: '1970' });
    expect(schemaOf(checked)?.findings).toHaveLength(1);
    const [finding] = schemaOf(checked)!.findings;
    expect(finding!.field).toBe('year');
    expect(finding!.message).toBe(
      '“year” is the text "1970", but the schema wants a whole number. Add the cast “int” to “year” in the mapping’s casts, or change the template so it gives a whole number.',
    );

    // Doing what it says makes the object fit.
    const fixed = await api().mappings.preview({
      orgId: orgId(),
      config: { ...config, cast: { year: 'int' } },
      sample: sample.objects[0]!,
      schemaId: schema.id,
    });
    expect(fixed.ok && schemaOf(fixed)).toEqual({ name: 'Car', findings: [] });
  });

  it('takes the first row of an uploaded file, and names a required field the mapping leaves out', async () => {
    const source = await api().sources.create({
      orgId: orgId(),
      name: 'Cars file',
      type: 'file',
      config: { format: 'csv' },
    });
    await uploadVersion(db.db, { orgId: orgId(), source, owner }, 'id,make,year\n7,Fiat,1969\n8,Lada,1980\n');
    const sample = await api().sources.sample({ orgId: orgId(), sourceId: source.id });
    if (!sample.ok) throw new Error(sample.reason);
    expect(sample.objects[0]).toEqual({ id: '7', make: 'Fiat', year: '1969' });
    expect(sample.from).toMatch(/first rows of upload\.csv \(version 1\)/);

    const schema = await carSchema();
    const checked = await api().mappings.preview({
      orgId: orgId(),
      config: { mapping: { make: 'make' } },
      sample: sample.objects[0]!,
      schemaId: schema.id,
    });
    expect(checked.ok && schemaOf(checked)?.findings).toEqual([
      {
        field: 'year',
        message:
          '“year” is required by the schema, but the mapping gives it no value for this sample. Map it, or make it optional in the schema.',
      },
    ]);
  });

  it('says what to do when the source has no file yet', async () => {
    const source = await api().sources.create({
      orgId: orgId(),
      name: 'Empty file source',
      type: 'file',
      config: { format: 'csv' },
    });
    const sample = await api().sources.sample({ orgId: orgId(), sourceId: source.id });
    expect(sample).toEqual({
      ok: false,
      reason: 'No file has been uploaded to this source yet.',
      advice: 'Upload the file on the source’s page first.',
    });
  });
});

describe('registers.inferSchema', () => {
  it('infers types, required fields and formats from samples taken from a source', async () => {
    const source = await api().sources.create({
      orgId: orgId(),
      name: 'Cars API for a schema',
      type: 'rest',
      config: { baseUrl: server.url },
    });
    const sample = await api().sources.sample({ orgId: orgId(), sourceId: source.id, endpoint: '/cars' });
    if (!sample.ok) throw new Error(sample.reason);
    const schema = await api().registers.inferSchema({
      orgId: orgId(),
      samples: [...sample.objects, { id: 3, make: 'Lada', year: 1980, sold: null }],
    });
    expect(schema).toEqual({
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: {
        id: { type: 'integer' },
        make: { type: 'string' },
        model: { type: 'string' },
        year: { type: 'integer' },
        sold: { type: ['string', 'null'], format: 'date-time' },
        dealer: { type: 'string', format: 'email' },
      },
      required: ['id', 'make', 'year'],
    });
    // It is a schema the register accepts as it is.
    const register = await api().registers.create({ orgId: orgId(), name: 'Inferred' });
    await expect(
      api().registers.createSchema({
        orgId: orgId(),
        registerId: register.id,
        name: 'Car',
        jsonSchema: schema,
      }),
    ).resolves.toMatchObject({ name: 'Car' });
  });
});
