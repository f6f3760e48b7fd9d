// A page's writes to the target (run-page.ts decides them): each round of decisions after the one
// before it has been answered, creates then updates, never two batches at once; and, in a test run,
// the refusals the target foresees without writing.
import type { TargetPort, TargetRefusal, WriteRetry } from '../ports';
import type { Decision } from './one-way';
import type { RunContext } from './run-page';
import type { WriteAnswer, WriteDecision } from './write-results';

/** In a test run: the creates and updates the target says it would refuse, by origin id. */
export async function foreseeRefusals(
  target: TargetPort,
  rounds: readonly (readonly Decision[])[],
): Promise<Map<string, TargetRefusal>> {
  const refusals = new Map<string, TargetRefusal>();
  if (!target.check) return refusals;
  const writes = rounds
    .flat()
    .filter((d): d is WriteDecision => d.action === 'create' || d.action === 'update');
  if (writes.length === 0) return refusals;
  const checks = writes.map((d) => ({
    originId: d.originId,
    object: d.mapped,
    ...(d.action === 'create' ? { create: true } : {}),
  }));
  for (const refusal of await target.check(checks)) refusals.set(refusal.originId, refusal);
  return refusals;
}

/** Writes each round of decisions after the previous one has been answered. */
export async function writeInOrder(
  target: TargetPort,
  rounds: readonly (readonly Decision[])[],
  context: RunContext,
  page: number,
): Promise<{ answers: Map<string, WriteAnswer>; retries: WriteRetry[] }> {
  const answers = new Map<string, WriteAnswer>();
  const retries: WriteRetry[] = [];
  for (const round of rounds) {
    if (round.length === 0) continue;
    const written = await writeToTarget(target, round, context, page);
    for (const [originId, answer] of written.answers) answers.set(originId, answer);
    retries.push(...written.retries);
  }
  return { answers, retries };
}

async function writeToTarget(
  target: TargetPort,
  decisions: readonly Decision[],
  context: RunContext,
  page: number,
): Promise<{ answers: Map<string, WriteAnswer>; retries: WriteRetry[] }> {
  const creates = decisions.filter(
    (d): d is Extract<WriteDecision, { action: 'create' }> => d.action === 'create',
  );
  const updates = decisions.filter(
    (d): d is Extract<WriteDecision, { action: 'update' }> => d.action === 'update',
  );
  const { origin, syncId, runId } = context;
  // One batch after the other, never both at once: two write transactions open together on one libSQL
  // file wait for each other's lock until the busy timeout gives up (SQLITE_BUSY).
  const created =
    creates.length === 0
      ? []
      : await target.create(
          creates.map((d) => ({
            originId: d.originId,
            object: d.mapped,
            origin,
            idempotencyKey: `${syncId}:${runId}:${d.originId}`,
            hash: d.outputHash,
            page,
            // A deleted contract's object, come back (decide.ts "reappeared"): the target may restore it —
            // not in insert only, which leaves an object written before as it is (a new one, as before).
            ...(d.previous?.targetId && context.settings.writeMode !== 'insert-only'
              ? { replaces: d.previous.targetId }
              : {}),
            ...(context.handedOver
              ? { resendKey: `${syncId}:${d.originId}:${d.previous?.targetId ?? ''}` }
              : {}),
          })),
        );
  const updated =
    updates.length === 0
      ? []
      : await target.update(
          updates.map((d) => ({
            originId: d.originId,
            targetId: d.targetId,
            object: d.mapped,
            hash: d.outputHash,
            ...(d.ifExists ? { ifExists: true as const } : {}),
            ...(d.previous?.sentData ? { sentBefore: d.previous.sentData } : {}),
            origin,
            page,
          })),
        );
  const answers = new Map<string, WriteAnswer>();
  const retries: WriteRetry[] = [];
  for (const result of [...created, ...updated]) {
    if (result.retries) retries.push(...result.retries);
    answers.set(
      result.originId,
      result.ok
        ? {
            ok: true,
            targetId: result.targetId,
            targetHash: result.targetHash,
            ...(result.existing ? { existing: result.existing } : {}),
            ...(result.relocated ? { relocated: result.relocated } : {}),
          }
        : result,
    );
  }
  return { answers, retries };
}
