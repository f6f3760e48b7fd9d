// Contracts recorded under a rounded 64-bit id, taken over by the id's exact digits. A JSON number holds
// integers exactly only up to 2^53, so before JSON sources read bigger integers as their digits
// (formats/json-big-integers.ts) an id such as 1326012487235305472 became the origin id
// "1326012487235305500". Read exactly now, that object would find no contract: it would be created
// again in the target while its old contract, no longer listed, waited to be deleted. So, before a page
// looks its contracts up, a contract under the rounded form of one of its exact ids is given that id —
// when no contract has it yet. Ids that are no such integer cost nothing.
import type { InValue, ResultSet } from '@libsql/client';
import { syncSeqOfOrgSql } from '../../db/schema';

type Execute = (statement: string, args: InValue[]) => Promise<ResultSet>;

/** An integer written with more digits than a double holds exactly, and the form a double gave it. */
function roundedForm(id: string): string | null {
  if (!/^-?\d{16,}$/.test(id)) return null;
  const rounded = String(Number(id));
  return rounded === id || !/^-?\d+$/.test(rounded) ? null : rounded;
}

/** Renames the synchronisation's contracts recorded under the rounded form of these ids to the ids. */
export async function adoptRoundedIds(
  execute: Execute,
  orgId: string,
  syncId: string,
  ids: readonly string[],
): Promise<void> {
  const pairs: [string, string][] = [];
  for (const id of ids) {
    const rounded = roundedForm(id);
    if (rounded !== null) pairs.push([id, rounded]);
  }
  if (pairs.length === 0) return;
  const sync = syncSeqOfOrgSql('?1', '?2');
  // The first exact id of a rounded form takes it (two ids that rounded alike were one contract).
  const exact = `(SELECT j.value ->> 0 FROM json_each(?3) AS j WHERE j.value ->> 1 = contracts.origin_id)`;
  await execute(
    `UPDATE contracts SET origin_id = ${exact}
     WHERE sync_seq = ${sync} AND origin_id IN (SELECT j.value ->> 1 FROM json_each(?3) AS j)
       AND NOT EXISTS (SELECT 1 FROM contracts AS c WHERE c.sync_seq = ${sync} AND c.origin_id = ${exact})`,
    [orgId, syncId, JSON.stringify(pairs)],
  );
}
