// A push run's part of the delivery ledger (stores/run-changes.ts): which of its objects it may deliver
// (claimed for its subscriber before anything is sent) and how each ended, read from what the target
// answered — a wrapper around the TargetPort that notes each answer by origin id.
import type { RunChangeOutcome } from '../../db/schema';
import type { TargetPort } from '../ports';

export type Answered = 'sent' | 'deleted' | 'failed';

/** The target, noting every answer it gives by origin id. */
export function observedTarget(target: TargetPort): { port: TargetPort; answers: Map<string, Answered> } {
  const answers = new Map<string, Answered>();
  const note = <T extends { originId: string; ok: boolean }>(results: readonly T[], ok: Answered) => {
    for (const result of results) answers.set(result.originId, result.ok ? ok : 'failed');
    return results;
  };
  const port: TargetPort = {
    systemId: target.systemId,
    create: async (batch) => note(await target.create(batch), 'sent'),
    update: async (batch) => note(await target.update(batch), 'sent'),
    delete: async (batch, policy) => note(await target.delete(batch, policy), 'deleted'),
    ...(target.check ? { check: target.check.bind(target) } : {}),
  };
  return { port, answers };
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
