// The register side's base of a contract a one-way run wrote (the source → the register), for a
// synchronisation made two-way since. A two-way run keeps the register object as last synchronised in
// the contract (targetBaseHash, targetData); a one-way run keeps it as targetHash — the hash of what it
// wrote, which is the register object's own hash (targets/register.ts) — and in the record's history.
// It is the same base: without it, the first two-way run took every object changed at the source since
// for a change on both sides (so _target wins_ wrote the register's old version over the source's
// change), and every source deletion for a conflict (so _target wins_ created the object again). The
// same held for a two-way synchronisation that ran one-way for a while: its two-way base was older than
// what the one-way runs wrote.
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { schemas, syncSeqOfOrg } from '../../db/schema';
import { chunk } from '../stores/chunks';

/** What a contract holds of its register side (pair-store.ts reads these columns). */
interface RegisterSide {
  readonly originId: string;
  readonly targetId: string | null;
  readonly targetHash: string | null;
  readonly targetBaseHash: string | null;
  readonly targetData: Record<string, unknown> | null;
}

/**
 * A contract whose register object a one-way run wrote last: one that never ran two-way (no two-way
 * base), or one that did and ran one-way since (its two-way base is older than the one-way write — a
 * two-way run keeps both hashes equal, pair-states.ts). Its base is that write.
 */
export const madeOneWay = (c: RegisterSide): boolean =>
  c.targetHash !== null && c.targetId !== null && c.targetBaseHash !== c.targetHash;

/**
 * The register object as the last one-way run wrote it, by origin id, for the contracts `madeOneWay`
 * says are such (a conflict's base, for its three-way diff): the newest version of the contract with
 * that hash — its own data, or the copy made when the register object changed — or the register object
 * itself while it still holds exactly that (a creation whose only version is the contract, a version
 * that left its data to the object). Missing when retention pruned that version: the conflict then has
 * no base to show, as before.
 */
export async function oneWayBaseData(
  db: Db,
  o: { orgId: string; syncId: string },
  rows: readonly RegisterSide[],
): Promise<Map<string, Record<string, unknown>>> {
  const found = new Map<string, Record<string, unknown>>();
  const wanted = rows.filter(madeOneWay).map((r) => r.originId);
  for (const part of chunk(wanted, 500)) {
    const bases = await db.all<{ originId: string; data: string | null }>(sql`
      SELECT c.origin_id AS originId, coalesce(
        (SELECT coalesce(v.data, d.data) FROM contract_versions AS v
          LEFT JOIN version_data AS d ON d.version_id = v.id
          WHERE v.contract_seq = c.seq AND v.target_hash = c.target_hash AND v.action <> 'delete'
            AND coalesce(v.data, d.data) IS NOT NULL
          ORDER BY v.id DESC LIMIT 1),
        (SELECT o.data FROM objects AS o
          WHERE o.id = c.target_id AND o.hash = c.target_hash
            AND o.schema_seq IN (SELECT ${schemas.seq} FROM ${schemas} WHERE ${schemas.orgId} = ${o.orgId}))
      ) AS data
      FROM contracts AS c
      WHERE c.sync_seq = ${syncSeqOfOrg(o.orgId, o.syncId)}
        AND c.origin_id IN (${sql.join(
          part.map((id) => sql`${id}`),
          sql`, `,
        )})`);
    for (const { originId, data } of bases)
      if (data !== null) found.set(originId, JSON.parse(data) as Record<string, unknown>);
  }
  return found;
}
