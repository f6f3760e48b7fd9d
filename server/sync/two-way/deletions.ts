// Deleting, after both sides' writes: in the register first, then at the source, each as one batch under
// the synchronisation's deletion policy. A refusal is recorded (batch.ts). A deletion that went through is
// counted and logged, a conflict it settled is kept as history, and the contract becomes a tombstone. A
// soft delete at the source leaves the object listed, marked: it is read back, and the tombstone keeps
// its hash, so it is not taken for an object that came back (core/decide.ts).
import { hashObject } from '../core/canonical-json';
import type { TargetDeleteResult } from '../ports';
import {
  answersTo,
  fromRegister,
  keyOf,
  refused,
  unanswered,
  unlessChangedAtSource,
  type Batch,
} from './batch';
import { recordSettled } from './conflict-records';
import { checkedAtSource } from './source-unchanged';
import type { PairContract } from './pair-store';
import { tombstone } from './pair-states';
import type { Decided, Pair, TwoWayContext } from './pairs';
import { reasonOf } from './words';

/** How each side's deletions read and settle. */
interface Side {
  readonly tally: 'register' | 'source';
  readonly name: 'The register' | 'The source';
  readonly refusal: string;
  readonly where: string;
  readonly decision: 'delete-target' | 'delete-source';
  /** The version a settled conflict's deletion lost. */
  readonly losing: (pair: Pair) => Record<string, unknown> | null;
}

const REGISTER: Side = {
  tally: 'register',
  name: 'The register',
  refusal: 'The register refused the deletion',
  where: 'In the register',
  decision: 'delete-target',
  losing: (pair) => pair.target?.data ?? null,
};

const SOURCE: Side = {
  tally: 'source',
  name: 'The source',
  refusal: 'The source refused the deletion',
  where: 'At the source',
  decision: 'delete-source',
  losing: (pair) => pair.mapped,
};

/** Sorting keeps deletions out when the policy is none; a side deletes soft or hard. */
const policyOf = (ctx: TwoWayContext) => (ctx.deletionPolicy === 'none' ? 'soft' : ctx.deletionPolicy);

export async function deleteInRegister(batch: Batch, deletes: readonly Decided[]): Promise<void> {
  if (deletes.length === 0) return;
  const { ctx } = batch;
  const answers = await batch.ports.register.delete(
    // Decided from the register object as this run read it: one changed since is not deleted.
    deletes.map((d) => ({
      originId: keyOf(d.pair),
      targetId: d.pair.target!.id,
      unlessChangedFrom: d.pair.target!.hash,
      origin: ctx.origin,
    })),
    policyOf(ctx),
  );
  await recordDeletions(batch, deletes, answers, REGISTER, (contract, originId) =>
    tombstone(contract, originId, ctx),
  );
}

export async function deleteAtSource(batch: Batch, decided: readonly Decided[]): Promise<void> {
  let deletes = decided;
  if (deletes.length === 0) return;
  const { ctx, ports } = batch;
  const policy = policyOf(ctx);
  // A REST source's object changed since the listing is not deleted (source-unchanged.ts).
  const checked = await checkedAtSource(
    batch,
    deletes.map((d) => ({ d })),
    true,
  );
  deletes = checked.map((c) => c.d);
  const answers = await ports.writeBack.port.delete(
    checked.map(({ d, precondition }) => ({
      originId: keyOf(d.pair),
      targetId: d.pair.originId!,
      origin: fromRegister(ctx),
      ...unlessChangedAtSource(batch, d.pair),
      ...(precondition ? { precondition } : {}),
    })),
    policy,
  );
  const marked =
    policy === 'soft'
      ? await ports.writeBack
          .readBack(deletes.flatMap((d) => (d.pair.originId ? [d.pair.originId] : [])))
          .catch(() => new Map<string, Record<string, unknown>>())
      : new Map<string, Record<string, unknown>>();
  await recordDeletions(batch, deletes, answers, SOURCE, (contract, originId) => {
    const still = marked.get(originId);
    const tomb = tombstone(contract, originId, ctx);
    return still ? { ...tomb, originHash: hashObject(still, ctx.hashFields), originData: still } : tomb;
  });
}

/** Each deletion with its answer, in order; `tombOf` makes the contract a tombstone. */
async function recordDeletions(
  batch: Batch,
  deletes: readonly Decided[],
  answers: readonly TargetDeleteResult[],
  side: Side,
  tombOf: (contract: PairContract, originId: string) => PairContract,
): Promise<void> {
  for (const [d, answer] of answersTo(deletes, (d) => keyOf(d.pair), answers)) {
    if (!answer) {
      unanswered(batch, d, side.name);
      continue;
    }
    if (!answer.ok) {
      refused(batch, d, side.refusal, answer);
      continue;
    }
    batch.tally[side.tally].deleted += 1;
    await recordSettled(batch, d, side.decision, side.losing(d.pair));
    batch.entries.push({
      originId: d.pair.originId,
      action: 'delete',
      reason: `${side.where}: ${reasonOf(d.decision)}`,
    });
    if (d.pair.contract && d.pair.originId) batch.states.push(tombOf(d.pair.contract, d.pair.originId));
  }
}
