// Writing the register, before the source: one create batch, then one update batch, then each answer.
// A refusal is recorded (batch.ts). A write that went through is counted and logged; a conflict it
// settled is kept as history, an open conflict it ends is closed by agreement, and the contract takes
// both sides' new bases (the register object as written).
import type { TargetWriteResult } from '../ports';
import { answersTo, createRequest, keyOf, refused, unanswered, updateRequest, type Batch } from './batch';
import { recordSettled } from './conflict-records';
import { synced } from './pair-states';
import type { Decided } from './pairs';
import type { RegisterObject } from './register-side';
import { reasonOf } from './words';

export async function writeRegister(
  batch: Batch,
  creates: readonly Decided[],
  updates: readonly Decided[],
): Promise<void> {
  const { ctx, ports } = batch;
  const restoring = await restorable(batch, creates);
  const created = creates.length
    ? await ports.register.create(
        creates.map((d) =>
          createRequest(batch, d.pair, d.pair.mapped!, d.pair.mappedHash!, ctx.origin, restoring.get(d)),
        ),
      )
    : [];
  const updated = updates.length
    ? await ports.register.update(
        updates.map(({ pair }) => ({
          ...updateRequest(batch, pair, pair.target!.id, pair.mapped!, pair.mappedHash!, ctx.origin),
          // Decided from the register object as this run read it: a change made since is not written over.
          unlessChangedFrom: pair.target!.hash,
        })),
      )
    : [];
  const answered = [
    ...answersTo(creates, (d) => keyOf(d.pair), created).map(([d, a]) => [d, a, true] as const),
    ...answersTo(updates, (d) => keyOf(d.pair), updated).map(([d, a]) => [d, a, false] as const),
  ];
  for (const [d, answer, isCreate] of answered) {
    if (!answer) unanswered(batch, d, 'The register');
    else if (!answer.ok) refused(batch, d, 'The register refused it', answer);
    else await written(batch, d, answer, isCreate);
  }
}

/**
 * The register object each create restores (TargetCreate.replaces): the one its contract still names —
 * a record back at the source after its deletion, or a deletion in the register that the source's side of
 * a conflict won over — so the record keeps one object. Not one another live contract of the
 * synchronisation links now (the matching field paired it since), nor one an earlier create takes.
 */
async function restorable(batch: Batch, creates: readonly Decided[]): Promise<Map<Decided, string>> {
  const named = creates.flatMap(({ pair }) => (pair.contract?.targetId ? [pair.contract.targetId] : []));
  const restoring = new Map<Decided, string>();
  if (named.length === 0) return restoring;
  const links = await batch.ports.pairs.byTargetIds(named);
  const taken = new Set<string>();
  for (const d of creates) {
    const id = d.pair.contract?.targetId;
    if (!id || taken.has(id)) continue;
    const link = links.get(id);
    if (link && link.status !== 'deleted' && link.originId !== d.pair.originId) continue;
    taken.add(id);
    restoring.set(d, id);
  }
  return restoring;
}

/** A register write that went through. */
async function written(
  batch: Batch,
  d: Decided,
  answer: Extract<TargetWriteResult, { ok: true }>,
  isCreate: boolean,
): Promise<void> {
  const { pair } = d;
  batch.tally.register[isCreate ? 'created' : 'updated'] += 1;
  batch.entries.push({
    originId: pair.originId,
    action: isCreate ? 'create' : 'update',
    reason: `In the register: ${reasonOf(d.decision)}`,
  });
  const target: RegisterObject = {
    id: answer.targetId,
    data: pair.mapped!,
    hash: answer.targetHash,
    updatedAt: batch.now,
  };
  await recordSettled(batch, d, 'to-target', pair.target?.data ?? null);
  if (pair.inConflict && pair.originId) batch.agreed.push(pair.originId);
  batch.states.push(
    synced(
      { ...pair, target },
      pair.originId!,
      { lastAction: isCreate ? 'create' : 'update', flip: batch.flips.get(answer.originId) },
      batch.ctx,
    ),
  );
}
