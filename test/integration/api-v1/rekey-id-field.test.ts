// A program that changes a synchronisation's id field through /api/v1 gets what the form gets: the
// contracts re-keyed in the same save (see test/integration/sync/rekey-id-field.test.ts), or a refusal
// at the field naming the contracts that cannot be.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contracts, ofSynchronisation } from '@/server/db/schema';
import { runDirect } from '../helpers/sync-setup';
import { problemOf } from './client';
import { byId, closeSyncApi, openSyncApi, type SyncApi } from './sync-api';

let fx: SyncApi;

beforeAll(async () => {
  fx = await openSyncApi();
});
afterAll(() => closeSyncApi(fx));

const originIds = async () =>
  (
    await fx.db.db
      .select({ originId: contracts.originId })
      .from(contracts)
      .where(ofSynchronisation(fx.s.sync.id))
      .orderBy(contracts.seq)
  ).map((c) => c.originId);

describe('PATCH /synchronisations/{syncId} with another id field', () => {
  it('re-keys the contracts, or refuses at the field and keeps them', async () => {
    const { s, api } = fx;
    expect(await runDirect(fx.db.db, s.orgId, s.sync.id)).toMatchObject({ created: 3 });
    const patch = async (sourceIdField: string) => {
      const got = await api.GET('/synchronisations/{syncId}', byId(s.sync.id));
      return api.PATCH('/synchronisations/{syncId}', {
        ...byId(s.sync.id),
        headers: { 'if-match': got.response.headers.get('etag')! },
        body: { sourceConfig: { pagination: { kind: 'link-header' }, sourceIdField } },
      });
    };

    const refused = await patch('address.city');
    expect(refused.response.status).toBe(400);
    const problem = problemOf(refused.error);
    expect(problem.errors).toEqual([
      expect.objectContaining({
        field: 'body.sourceConfig.sourceIdField',
        detail: expect.stringContaining(
          'the contract of "3": its source object would get the id "Leiden", as "1" would',
        ),
      }),
    ]);
    expect(await originIds()).toEqual(['1', '2', '3']);

    expect((await patch('email')).response.status).toBe(200);
    expect(await originIds()).toEqual([1, 2, 3].map((n) => `person${n}@example.test`));
    expect(await runDirect(fx.db.db, s.orgId, s.sync.id)).toMatchObject({ created: 0, deleted: 0 });
  });
});
