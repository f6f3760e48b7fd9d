// Two-way between a real SQL table (PostgreSQL and MariaDB) and the register: edits cross in both
// directions, what Concord wrote is read back so it never comes back as a change, and deletes follow.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synchronisations } from '@/server/db/schema';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { createPeople, q, SQL_PEERS, type SqlPeer } from '../helpers/sql-peers';
import { runDirect } from '../helpers/sync-setup';
import { sqlToRegister } from '../helpers/sql-sync';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

for (const { dialect, open } of SQL_PEERS) {
  describe(`two-way with ${dialect}`, () => {
    let peer: SqlPeer;
    beforeAll(async () => {
      peer = await open();
    });
    afterAll(async () => {
      await peer?.dropAll();
      await peer?.close();
    });

    async function setUp(twoWay: Record<string, unknown> = {}) {
      const table = await createPeople(peer, 4);
      const s = await sqlToRegister(db.db, peer, { endpoint: table, sync: { deleteThreshold: 1 } });
      await db.db
        .update(synchronisations)
        .set({ direction: 'two-way', twoWay })
        .where(eq(synchronisations.id, s.sync.id));
      const rows = async () =>
        (await peer.query(`SELECT id, name, email, city FROM ${q(peer, table)} ORDER BY id`)).map((r) => ({
          id: Number(r['id']),
          city: r['city'],
        }));
      const objects = async () =>
        (await s.api.registers.objects({ orgId: s.orgId, schemaId: s.schema.id, pageSize: 100 })).rows;
      const run = () => runDirect(db.db, s.orgId, s.sync.id);
      return { ...s, table, rows, objects, run };
    }

    it('edits cross both ways, nothing echoes, and deletions follow', async () => {
      const s = await setUp();
      expect(await s.run()).toMatchObject({ result: 'success', created: 4 });
      const objects = await s.objects();
      expect(objects).toHaveLength(4);

      // The register edits person 1; the table edits person 2.
      const one = objects.find((o) => o.data['email'] === 'person1@example.test')!;
      await s.api.registers.updateObject({
        orgId: s.orgId,
        objectId: one.id,
        version: one.version,
        data: { ...one.data, city: 'Amsterdam' },
      });
      await peer.exec(`UPDATE ${q(peer, s.table)} SET city = 'Zwolle' WHERE id = 2`);
      const crossed = await s.run();
      expect(crossed).toMatchObject({ result: 'success', created: 0, updated: 2, deleted: 0 });
      expect((await s.rows()).find((r) => r.id === 1)?.city).toBe('Amsterdam');
      const two = (await s.objects()).find((o) => o.data['email'] === 'person2@example.test');
      expect(two?.data['city']).toBe('Zwolle');

      // What Concord wrote comes back in the next listing: read back, it is no change.
      const versions = (await s.objects()).map((o) => [o.id, o.version]);
      const quiet = await s.run();
      expect(quiet).toMatchObject({ result: 'success', created: 0, updated: 0, deleted: 0 });
      expect((await s.objects()).map((o) => [o.id, o.version])).toEqual(versions);

      // A row deleted in the table leaves the register; an object deleted in the register leaves the table.
      await peer.exec(`DELETE FROM ${q(peer, s.table)} WHERE id = 3`);
      const four = (await s.objects()).find((o) => o.data['email'] === 'person4@example.test')!;
      await s.api.registers.deleteObject({ orgId: s.orgId, objectId: four.id });
      const deleted = await s.run();
      expect(deleted).toMatchObject({ deleted: 2 });
      expect((await s.rows()).map((r) => r.id)).toEqual([1, 2]);
      expect((await s.objects()).map((o) => o.data['email']).sort()).toEqual([
        'person1@example.test',
        'person2@example.test',
      ]);
    });

    it('deletions above the threshold are held on both sides, and nothing is deleted', async () => {
      const s = await setUp();
      await db.db
        .update(synchronisations)
        .set({ deleteThreshold: 0.25 })
        .where(eq(synchronisations.id, s.sync.id));
      await s.run();
      await peer.exec(`DELETE FROM ${q(peer, s.table)} WHERE id IN (1, 2)`);
      const held = await s.run();
      expect(held).toMatchObject({ result: 'warning', deleted: 0, held: 2 });
      expect(await s.objects()).toHaveLength(4);
    });
  });
}
