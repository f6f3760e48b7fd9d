// An SQL source whose id field and key column change together (rows identified by `code` instead of
// `id`): the save re-keys the contracts from the rows they kept, so the next run, paging on the new
// key, creates and deletes nothing (see rekey-id-field.test.ts for the REST source and the refusals).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contracts, ofSynchronisation } from '@/server/db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { liveObjects } from '../helpers/sync-more';
import { runDirect } from '../helpers/sync-setup';
import { createPeople, q, SQL_PEERS, type SqlPeer } from '../helpers/sql-peers';
import { sqlToRegister } from '../helpers/sql-sync';

const ROWS = 8;

describe.each(SQL_PEERS)('an SQL source ($dialect) given another key', ({ open }) => {
  let db: TestDatabase;
  let peer: SqlPeer;

  beforeAll(async () => {
    db = await createTestDatabase();
    peer = await open();
  });
  afterAll(async () => {
    await peer?.dropAll();
    await peer?.close();
    await db?.close();
  });

  it('re-keys its contracts when the id field and key column become `code`', async () => {
    const table = await createPeople(peer, ROWS);
    // Codes the other way round from the ids: each new id is another row's old one.
    await peer.exec(`ALTER TABLE ${q(peer, table)} ADD COLUMN code integer`);
    await peer.exec(`UPDATE ${q(peer, table)} SET code = ${ROWS + 1} - id`);
    const s = await sqlToRegister(db.db, peer, { endpoint: table, sourceConfig: { sql: { pageSize: 3 } } });
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({ created: ROWS, deleted: 0 });
    const ids = () =>
      db.db
        .select({ originId: contracts.originId, targetId: contracts.targetId })
        .from(contracts)
        .where(ofSynchronisation(s.sync.id))
        .orderBy(contracts.seq);
    const before = await ids();

    await s.api.synchronisations.update({
      orgId: s.orgId,
      syncId: s.sync.id,
      ...s.input,
      sourceConfig: { sourceIdField: 'code', sql: { keyColumn: 'code', pageSize: 3 } },
    });
    expect(await ids()).toEqual(
      before.map((c) => ({ originId: String(ROWS + 1 - Number(c.originId)), targetId: c.targetId })),
    );
    expect(await runDirect(db.db, s.orgId, s.sync.id)).toMatchObject({
      result: 'success',
      found: ROWS,
      created: 0,
      deleted: 0,
    });
    expect(await liveObjects(db.db, s.schema.id)).toHaveLength(ROWS);
  });
});
