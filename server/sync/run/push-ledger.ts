// A push run's part of the delivery ledger (stores/run-changes.ts): which of its objects it may deliver
// (claimed for its subscriber before anything is sent) and how each ended, read from what the target
// answered — a wrapper around the TargetPort that notes each answer by origin id.
import type { RunChangeOutcome } from '../../db/schema';
import type { TargetPort, TargetRefusal } from '../ports';

export type Answered = 'sent' | 'deleted' | 'failed';

/**
 * The target, noting every answer it gives by origin id, and, apart, why each write failed for a passing
 * reason (a transient refusal: tried again by itself, stores/push-retries.ts).
 */
export function observedTarget(target: TargetPort): {
  port: TargetPort;
  answers: Map<string, Answered>;
  passing: Map<string, string>;
} {
  const answers = new Map<string, Answered>();
  const passing = new Map<string, string>();
  const note = <T extends { originId: string; ok: boolean }>(results: readonly T[], ok: Answered) => {
    for (const result of results) {
      answers.set(result.originId, result.ok ? ok : 'failed');
      const refusal = result as Partial<TargetRefusal>;
      if (!result.ok && refusal.transient === true && !refusal.invalid)
        passing.set(result.originId, refusal.reason ?? 'the target did not answer');
      else passing.delete(result.originId);
    }
    return results;
  };
  const port: TargetPort = {
    systemId: target.systemId,
    create: async (batch) => note(await target.create(batch), 'sent'),
    update: async (batch) => note(await target.update(batch), 'sent'),
    delete: async (batch, policy) => note(await target.delete(batch, policy), 'deleted'),
    ...(target.check ? { check: target.check.bind(target) } : {}),
  };
  return { port, answers, passing };
}

/**
 * The outcome per register object id: what the target answered for its origin id, or, when it was not
 * asked, `unchanged` for a live object (nothing to send) and `kept` for a deleted one (left alone by the
 * deletion rules).
 */
export function outcomesOf(
  originIds: ReadonlyMap<string, string | null>,
  answers: ReadonlyMap<string, Answered>,
  unasked: 'unchanged' | 'kept',
): Map<string, RunChangeOutcome> {
  const outcomes = new Map<string, RunChangeOutcome>();
  for (const [objectId, originId] of originIds)
    outcomes.set(objectId, (originId !== null && answers.get(originId)) || unasked);
  return outcomes;
}

/**
 * Which objects a run tries again later (stores/push-retries.ts), from the objects it held and their
 * origin ids: those whose write failed for a passing reason; every other one is settled — delivered,
 * nothing to send, or refused for good (a change or a person is needed then).
 */
export function retriesOf(
  originIds: ReadonlyMap<string, string | null>,
  passing: ReadonlyMap<string, string>,
): { retry: Map<string, string>; settled: string[] } {
  const retry = new Map<string, string>();
  const settled: string[] = [];
  for (const [objectId, originId] of originIds) {
    const reason = originId === null ? undefined : passing.get(originId);
    if (reason === undefined) settled.push(objectId);
    else retry.set(objectId, reason);
  }
  return { retry, settled };
}
