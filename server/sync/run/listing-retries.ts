// A listing of a synchronisation that reads a register (a person's Run, its schedule, a follow-up) tries
// again by itself what it could not deliver, as a push does (stores/push-retries.ts): an object whose
// write failed for a passing reason (network, timeout, 429, 5xx — a transient refusal, its contract
// `failed`) is scheduled in the page step that writes its contract, so a replayed step counts nothing
// twice, and a listing that fails as a whole later on has already scheduled what its earlier pages left
// undelivered (runner/fail-run.ts). Not scheduled: a refusal for good (a 4xx) and an invalid object, which
// need a change or a person; anything of a dry run, which writes nothing; and a failed deletion, whose
// answer does not say whether it may pass (the next complete listing plans it again). What the listing
// delivered is let go at its end (run-aftermath.ts).
import { sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import type { ContractStore, TargetPort, TargetRefusal } from '../ports';
import { scheduleRetries, type RetryScope } from '../stores/push-retries';

export function retryingListing(
  db: Db,
  scope: RetryScope,
  ports: { target: TargetPort; contracts: ContractStore },
  delays: readonly number[],
): { target: TargetPort; contracts: ContractStore } {
  // Why each write of the page under way failed for a passing reason, by origin id. Only those: a
  // listing of a million objects keeps no answer per object.
  const passing = new Map<string, string>();
  const note = <T extends { originId: string; ok: boolean }>(results: readonly T[]) => {
    for (const result of results) {
      const refusal = result as Partial<TargetRefusal>;
      if (!result.ok && refusal.transient === true && !refusal.invalid)
        passing.set(result.originId, refusal.reason ?? 'the target did not answer');
      else passing.delete(result.originId);
    }
    return results;
  };
  const { target } = ports;
  const observed: TargetPort = {
    systemId: target.systemId,
    create: async (batch) => note(await target.create(batch)),
    update: async (batch) => note(await target.update(batch)),
    delete: target.delete.bind(target),
    ...(target.check ? { check: target.check.bind(target) } : {}),
  };
  const contracts: ContractStore = {
    ...ports.contracts,
    // A page starts (its one lookup): answers of an earlier attempt at it are not this one's.
    async lookup(request) {
      passing.clear();
      return ports.contracts.lookup(request);
    },
    async upsert(states, at) {
      await ports.contracts.upsert(states, at);
      const again = new Map<string, string>();
      for (const state of states) {
        const reason = passing.get(state.originId);
        if (reason === undefined) continue;
        passing.delete(state.originId);
        const written = state.lastAction === 'create' || state.lastAction === 'update';
        if (state.status === 'failed' && written) again.set(state.originId, reason);
      }
      if (again.size === 0) return;
      // The register object each was made from (its contract remembers it: sources/register-identity.ts).
      const owners = await db.all<{ originId: string; objectId: string }>(sql`SELECT origin_id AS originId,
          origin_object AS objectId FROM contracts
        WHERE sync_seq = (SELECT seq FROM synchronisations WHERE id = ${scope.syncId} AND org_id = ${scope.orgId})
          AND origin_id IN (SELECT value FROM json_each(${JSON.stringify([...again.keys()])}))
          AND origin_object IS NOT NULL`);
      await scheduleRetries(
        db,
        scope,
        owners.map((row) => ({ objectId: row.objectId, changeId: null, reason: again.get(row.originId)! })),
        delays,
      );
    },
  };
  return { target: observed, contracts };
}
