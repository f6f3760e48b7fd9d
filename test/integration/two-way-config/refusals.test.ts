// A two-way synchronisation is refused, each problem a sentence at its field, when it cannot work: a
// source it cannot write back to, a target that is not a register schema, incremental reading (two-way
// needs whole listings), a write mode other than upsert, nested objects, a policy setting that is not a
// dot path or that its policy does not read, write-back settings the source's kind refuses, an SQL
// source read through a query with no table to write to, and a write-back mapping that is not the
// organisation's or does not compile. A one-way synchronisation given two-way settings is refused too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mappings } from '@/server/db/schema';
import { createOwner, callerFor } from '../../factories';
import { refusal, twoWaySetup, type TwoWaySetup } from './setup';

let s: TwoWaySetup;
beforeAll(async () => {
  s = await twoWaySetup();
});
afterAll(async () => {
  await s.db.close();
});

const create = (patch: Record<string, unknown>) =>
  s.api.synchronisations.create({ orgId: s.orgId, ...s.twoWay, ...patch });

describe('what a two-way synchronisation needs of the rest of its settings', () => {
  it('needs a REST or SQL source and a register schema target', async () => {
    const file = await s.api.sources.create({
      orgId: s.orgId,
      name: 'Upload',
      type: 'file',
      config: { format: 'json' },
    });
    expect(
      (await refusal(create({ sourceId: file.id, sourceEndpoint: '', sourceConfig: {} }))).issues,
    ).toEqual([
      {
        field: 'sourceId',
        message:
          'A two-way synchronisation writes back to its source, which must be a REST or SQL source, not a file source.',
      },
    ]);
    const other = await s.api.sources.create({
      orgId: s.orgId,
      name: 'Other API',
      type: 'rest',
      config: { baseUrl: 'http://127.0.0.1:9' },
    });
    expect(
      (await refusal(create({ targetType: 'source', targetSourceId: other.id, targetConfig: {} }))).issues,
    ).toEqual([
      {
        field: 'targetType',
        message:
          'A two-way synchronisation keeps its source in step with a register schema: choose a register schema as the target.',
      },
    ]);
  });

  it('needs whole listings: incremental reading is refused, and says why', async () => {
    const sourceConfig = {
      pagination: { kind: 'link-header' },
      incremental: { field: 'updatedAt', query: 'updated_since={{cursor}}' },
    };
    expect((await refusal(create({ sourceConfig }))).issues).toEqual([
      {
        field: 'sourceConfig.incremental',
        message:
          'A two-way synchronisation reads both sides whole on every run, to see what changed and what was deleted on each: switch incremental reading off.',
      },
    ]);
  });

  it('creates and updates on both sides: only the write mode upsert', async () => {
    for (const writeMode of ['insert-only', 'update-only', 'mirror'] as const) {
      expect((await refusal(create({ writeMode }))).issues).toEqual([
        {
          field: 'writeMode',
          message:
            'A two-way synchronisation creates and updates objects on both sides: choose the write mode “Create and update”.',
        },
      ]);
    }
  });

  it('keeps whole objects in step: nested objects are refused', async () => {
    const sourceConfig = { pagination: { kind: 'link-header' }, subObjects: [{ path: 'lines' }] };
    expect((await refusal(create({ sourceConfig }))).issues).toEqual([
      {
        field: 'sourceConfig.subObjects',
        message: expect.stringMatching(/^Nested objects cannot be written back/),
      },
    ]);
  });

  it('names every problem at once', async () => {
    const sourceConfig = {
      pagination: { kind: 'link-header' },
      incremental: { field: 'updatedAt', query: 'updated_since={{cursor}}' },
    };
    const { issues } = await refusal(
      create({ sourceConfig, writeMode: 'mirror', twoWay: { conflictPolicy: 'x' } }),
    );
    expect(issues.map((i) => i.field)).toEqual([
      'sourceConfig.incremental',
      'writeMode',
      'twoWay.conflictPolicy',
    ]);
  });
});

describe('the policies', () => {
  it('refuses an unknown policy or key at its field', async () => {
    expect((await refusal(create({ twoWay: { conflictPolicy: 'loudest-wins' } }))).issues).toEqual([
      {
        field: 'twoWay.conflictPolicy',
        message: 'Conflict policy must be one of `source-wins`, `target-wins`, `newer-wins`, `manual`.',
      },
    ]);
    expect((await refusal(create({ twoWay: { targetOnly: 'keep' } }))).issues[0]).toMatchObject({
      field: 'twoWay.targetOnly',
    });
    expect(
      (await refusal(create({ twoWay: { sourceOfTruth: 'target', mach: {} } }))).issues[0],
    ).toMatchObject({
      field: 'twoWay.mach',
      message: expect.stringContaining('match') as string,
    });
  });

  it('reads matching fields as dot paths, both sides given', async () => {
    expect(
      (await refusal(create({ twoWay: { match: { source: 'email', target: 'contact..email' } } }))).issues,
    ).toEqual([
      {
        field: 'twoWay.match.target',
        message:
          'The matching field on the register side is not a dot path: "contact..email" has an empty segment.',
      },
    ]);
    expect((await refusal(create({ twoWay: { match: { source: 'email' } } }))).issues).toEqual([
      { field: 'twoWay.match.target', message: 'Target is required.' },
    ]);
  });

  it('needs both updated-at fields for newer wins, and reads them for nothing else', async () => {
    expect((await refusal(create({ twoWay: { conflictPolicy: 'newer-wins' } }))).issues).toEqual([
      {
        field: 'twoWay.updatedAt.source',
        message: 'Newer wins compares the sides’ updated-at fields: name the source’s, such as updatedAt.',
      },
      {
        field: 'twoWay.updatedAt.target',
        message: 'Newer wins compares the sides’ updated-at fields: name the register’s, such as updatedAt.',
      },
    ]);
    expect(
      (
        await refusal(
          create({
            twoWay: { conflictPolicy: 'newer-wins', updatedAt: { source: 'meta[x]', target: 'updatedAt' } },
          }),
        )
      ).issues,
    ).toEqual([
      {
        field: 'twoWay.updatedAt.source',
        message:
          'The updated-at field on the source side is not a dot path: "meta[x]" has a bracket that is not [number].',
      },
    ]);
    expect(
      (await refusal(create({ twoWay: { conflictPolicy: 'manual', updatedAt: { target: 'updatedAt' } } })))
        .issues,
    ).toEqual([
      {
        field: 'twoWay.updatedAt.target',
        message:
          'Updated-at fields are read only when newer wins: clear them, or choose the policy “Newer wins”.',
      },
    ]);
  });
});

describe('writing back', () => {
  it('parses REST write-back settings as a REST target’s, at their fields', async () => {
    expect((await refusal(create({ writeBack: { updateMethod: 'DELETE' } }))).issues).toEqual([
      { field: 'writeBack.updateMethod', message: 'Update method must be one of `PUT`, `PATCH`, `POST`.' },
    ]);
    expect((await refusal(create({ writeBack: { table: 'people' } }))).issues[0]).toMatchObject({
      field: 'writeBack.table',
      message: expect.stringMatching(/^Unknown setting `table`/) as string,
    });
  });

  it('refuses a secret query parameter in a write-back endpoint, which would be shown to every reader', async () => {
    expect(
      (await refusal(create({ writeBack: { updateEndpoint: '/people/{{targetId}}?api_key=k-77' } }))).issues,
    ).toEqual([
      {
        field: 'writeBack.updateEndpoint',
        message: expect.stringMatching(/query parameter "api_key" looks like it carries a secret/) as string,
      },
    ]);
  });

  it('needs a write-back mapping of this organisation that compiles', async () => {
    const stranger = await createOwner(s.db.db);
    const theirs = await callerFor(s.db.db, stranger.user).mappings.create({
      orgId: stranger.org.id,
      name: 'Theirs',
      config: { mapping: { name: 'name' } },
    });
    expect((await refusal(create({ writeBackMappingId: theirs.id }))).issues).toEqual([
      {
        field: 'writeBackMappingId',
        message: "The write-back mapping was not found: choose one of this organisation's mappings.",
      },
    ]);
    // Saved by an older version in a shape this one cannot run.
    const [broken] = await s.db.db
      .insert(mappings)
      .values({ orgId: s.orgId, name: 'Broken', config: { mapping: 5 } })
      .returning();
    expect((await refusal(create({ writeBackMappingId: broken!.id }))).issues).toEqual([
      {
        field: 'writeBackMappingId',
        message: expect.stringMatching(/^The write-back mapping cannot run: /) as string,
      },
    ]);
  });
});

describe('a one-way synchronisation', () => {
  it('refuses two-way settings, each at its field', async () => {
    const { issues } = await refusal(
      create({
        direction: 'one-way',
        twoWay: { conflictPolicy: 'source-wins' },
        writeBack: { createEndpoint: '/people' },
        writeBackMappingId: s.outMapping.id,
      }),
    );
    expect(issues).toEqual([
      {
        field: 'twoWay',
        message:
          'Conflict policies, matching and updated-at fields apply only to a two-way synchronisation: choose Two-way, or leave them out.',
      },
      {
        field: 'writeBack',
        message:
          'Write-back settings apply only to a two-way synchronisation (a one-way synchronisation never writes to its source): choose Two-way, or leave them out.',
      },
      {
        field: 'writeBackMappingId',
        message:
          'A write-back mapping applies only to a two-way synchronisation: choose Two-way, or leave it out.',
      },
    ]);
    // Left out, the direction is one-way: the same refusal.
    const { direction: _d, ...oneWay } = s.twoWay;
    expect(
      (await refusal(s.api.synchronisations.create({ orgId: s.orgId, ...oneWay, twoWay: {} }))).issues,
    ).toEqual([expect.objectContaining({ field: 'twoWay' })]);
  });
});
