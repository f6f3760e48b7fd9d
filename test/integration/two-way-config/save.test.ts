// Valid two-way synchronisations save and read back with their write-back defaults resolved: a REST
// source (objects created at the endpoint it is listed from, updated and deleted at <endpoint>/{{id}})
// and a PostgreSQL table (written to the table read, keyed on its key column). What a person left out
// is stored left out, so it follows the source's endpoint when that changes; switching back to one-way
// clears the two-way settings. A write-back mapping in use cannot be deleted.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveWriteBack } from '@/server/sync/config/write-back';
import { postgresPeer, type SqlPeer } from '../helpers/sql-peers';
import { refusal, twoWaySetup, type TwoWaySetup } from './setup';

let s: TwoWaySetup;
let pg: SqlPeer;
let table: string;
beforeAll(async () => {
  s = await twoWaySetup();
  pg = await postgresPeer();
  table = pg.table('twf_people');
  await pg.exec(
    `CREATE TABLE "${table}" (person_id integer PRIMARY KEY, name text NOT NULL, email text, deleted_at timestamptz)`,
  );
});
afterAll(async () => {
  await pg.dropAll();
  await pg.close();
  await s.db.close();
});

describe('a two-way synchronisation with a REST source', () => {
  it('saves its policies and reads back with the write-back defaults filled in', async () => {
    const created = await s.api.synchronisations.create({
      orgId: s.orgId,
      ...s.twoWay,
      twoWay: {
        conflictPolicy: 'newer-wins',
        sourceOfTruth: 'target',
        targetOnly: 'add-to-source',
        match: { source: 'email', target: 'email' },
        updatedAt: { source: 'meta.updatedAt', target: 'updatedAt' },
      },
      writeBack: { updateMethod: 'PATCH' },
      writeBackMappingId: s.outMapping.id,
    });
    const read = await s.api.synchronisations.get({ orgId: s.orgId, syncId: created.id });
    expect(read).toMatchObject({
      direction: 'two-way',
      twoWay: {
        conflictPolicy: 'newer-wins',
        sourceOfTruth: 'target',
        targetOnly: 'add-to-source',
        match: { source: 'email', target: 'email' },
        updatedAt: { source: 'meta.updatedAt', target: 'updatedAt' },
      },
      // Only what was given is stored: the rest follows the endpoint.
      writeBack: { updateMethod: 'PATCH' },
      writeBackMappingId: s.outMapping.id,
      writeBackResolved: {
        kind: 'rest',
        config: {
          createEndpoint: '/people',
          createMethod: 'POST',
          updateEndpoint: '/people/{{targetId}}',
          updateMethod: 'PATCH',
          deleteEndpoint: '/people/{{targetId}}',
          idPath: 'id',
        },
      },
    });

    // The write-back mapping cannot be deleted while it is used: the register's objects would be
    // written to the source as they are.
    expect(
      await refusal(s.api.mappings.delete({ orgId: s.orgId, mappingId: s.outMapping.id })),
    ).toMatchObject({
      code: 'CONFLICT',
      message: 'Used by: People both ways. Change or delete those first.',
    });

    // A new endpoint moves the defaults with it.
    await s.api.synchronisations.update({
      orgId: s.orgId,
      syncId: created.id,
      ...s.twoWay,
      sourceEndpoint: '/v2/contacts/',
      sourceConfig: { pagination: { kind: 'link-header' }, sourceIdField: 'uuid' },
      twoWay: read.twoWay,
      writeBack: read.writeBack,
      writeBackMappingId: read.writeBackMappingId,
    });
    const moved = await s.api.synchronisations.get({ orgId: s.orgId, syncId: created.id });
    expect(moved.writeBackResolved).toMatchObject({
      config: {
        createEndpoint: '/v2/contacts',
        updateEndpoint: '/v2/contacts/{{targetId}}',
        updateMethod: 'PATCH',
        idPath: 'uuid',
      },
    });
    await s.api.synchronisations.delete({ orgId: s.orgId, syncId: created.id });
  });

  it('defaults every policy: manual conflicts, the source is the source of truth, target-only objects left', async () => {
    const created = await s.api.synchronisations.create({ orgId: s.orgId, ...s.twoWay });
    expect(created).toMatchObject({
      direction: 'two-way',
      twoWay: { conflictPolicy: 'manual', sourceOfTruth: 'source', targetOnly: 'leave' },
      writeBack: {},
      writeBackMappingId: null,
    });

    // Back to one-way: the two-way settings go.
    const { direction: _d, ...oneWay } = s.twoWay;
    const saved = await s.api.synchronisations.update({ orgId: s.orgId, syncId: created.id, ...oneWay });
    expect(saved).toMatchObject({
      direction: 'one-way',
      twoWay: null,
      writeBack: null,
      writeBackMappingId: null,
    });
    expect(
      (await s.api.synchronisations.get({ orgId: s.orgId, syncId: created.id })).writeBackResolved,
    ).toBeNull();
    await s.api.synchronisations.delete({ orgId: s.orgId, syncId: created.id });
  });
});

describe('a two-way synchronisation with a PostgreSQL source', () => {
  let sourceId: string;
  beforeAll(async () => {
    const source = await s.api.sources.create({
      orgId: s.orgId,
      name: 'People table',
      type: 'sql',
      config: pg.config,
    });
    sourceId = source.id;
  });
  const sqlTwoWay = (patch: Record<string, unknown>) =>
    s.api.synchronisations.create({
      orgId: s.orgId,
      ...s.twoWay,
      name: `People table both ways ${Math.random()}`,
      // Several two-way synchronisations of one table would loop (opposite-syncs.test.ts): kept off.
      enabled: false,
      sourceId,
      sourceEndpoint: table,
      sourceConfig: { sourceIdField: 'person_id' },
      ...patch,
    });

  it('writes back to the table it reads, keyed on its key column', async () => {
    const created = await sqlTwoWay({
      deleteMode: 'soft',
      writeBack: { softDelete: { column: 'deleted_at', value: '{{now}}' } },
    });
    const read = await s.api.synchronisations.get({ orgId: s.orgId, syncId: created.id });
    expect(read.writeBack).toEqual({ softDelete: { column: 'deleted_at', value: '{{now}}' } });
    expect(read.writeBackResolved).toEqual({
      kind: 'sql',
      config: {
        table,
        keyColumns: ['person_id'],
        softDelete: { column: 'deleted_at', value: '{{now}}' },
      },
    });
    // The engine's reading of the saved row is the same.
    expect(resolveWriteBack('sql', read)).toEqual(read.writeBackResolved);
  });

  it('needs a soft delete column for soft deletion, as an SQL target does', async () => {
    expect((await refusal(sqlTwoWay({ deleteMode: 'soft' }))).issues).toEqual([
      {
        field: 'writeBack.softDelete.column',
        message:
          'Soft deletion needs the column that marks a row deleted: name it, or choose another deletion policy.',
      },
    ]);
  });

  it('needs the table when the source reads a query, and checks it as an SQL target’s', async () => {
    const query = { sourceEndpoint: `SELECT person_id, name, email FROM "${table}"`, deleteMode: 'hard' };
    expect((await refusal(sqlTwoWay(query))).issues).toEqual([
      {
        field: 'writeBack.table',
        message:
          'The source reads a query, which cannot be written to: name the table to write the register’s changes back to.',
      },
    ]);
    expect((await refusal(sqlTwoWay({ ...query, writeBack: { table: 'SELECT 1' } }))).issues).toEqual([
      { field: 'writeBack.table', message: 'Name a table to write to: a query cannot be written to.' },
    ]);
    const created = await sqlTwoWay({ ...query, writeBack: { table, keyColumns: ['person_id'] } });
    expect(
      (await s.api.synchronisations.get({ orgId: s.orgId, syncId: created.id })).writeBackResolved,
    ).toEqual({
      kind: 'sql',
      config: { table, keyColumns: ['person_id'] },
    });
  });

  it('keys on the SQL key column when one is named', async () => {
    const created = await sqlTwoWay({
      deleteMode: 'none',
      sourceConfig: { sourceIdField: 'email', sql: { keyColumn: 'person_id' } },
    });
    expect(
      (await s.api.synchronisations.get({ orgId: s.orgId, syncId: created.id })).writeBackResolved,
    ).toMatchObject({
      config: { table, keyColumns: ['person_id'] },
    });
  });
});
