// Sorting a batch's decisions before either side is written. Some are done with here: a quarantined
// object is left alone, a conflict is recorded, an object both sides agree on takes its new bases, a
// deletion this run may not make is held, a write-back whose object cannot be made fails (said on the
// contract), and the flap breaker quarantines an object about to be written once too often. The rest
// become each side's creates, updates and deletions (batch.ts, Writes), in the batch's order.
import { nextFlip } from '../core/two-way/settings';
import { keyOf, notWritten, type Batch, type Writes } from './batch';
import { conflictRecord } from './conflict-records';
import { inConflict, quarantined, synced } from './pair-states';
import type { Decided } from './pairs';
import { sourceObjectOf } from './source-object';
import { conflictReason, reasonOf } from './words';

/** `allowDeletes`: per side, whether this run may delete there (the threshold hold, planned before). */
export async function sortDecisions(
  batch: Batch,
  decided: readonly Decided[],
  allowDeletes: { readonly register: boolean; readonly source: boolean },
): Promise<Writes> {
  const writes: Writes = {
    register: { creates: [], updates: [], deletes: [] },
    source: { creates: [], updates: [], deletes: [] },
  };
  for (const d of decided) {
    if (d.pair.contract?.status === 'quarantined') {
      // Left alone until a person releases it (the contract page).
      batch.tally.quarantined += 1;
      continue;
    }
    await sortOne(batch, d, writes, allowDeletes);
  }
  return writes;
}

/**
 * The flap breaker, asked just before a write is queued — not for a decision that writes nothing (a
 * deletion held or ignored, a write-back mapping that fails): each write of an object counts in its
 * window (batch.flips, saved with the write); the one write too many quarantines the object instead
 * (true), and is logged as held.
 */
function flapTripped(batch: Batch, { pair }: Decided): boolean {
  const { ctx } = batch;
  const originId = pair.originId;
  if (!pair.contract || !originId) return false;
  const flip = nextFlip(pair.contract, batch.now, ctx.twoWay.flap);
  if (!flip.tripped) {
    batch.flips.set(keyOf(pair), flip);
    return false;
  }
  batch.tally.quarantined += 1;
  const reason =
    `Quarantined by the flap breaker: written ${flip.flips - 1} times in ${ctx.twoWay.flap.minutes} minutes ` +
    'and changed again. Find what keeps changing it, then release it on its contract.';
  batch.entries.push({ originId, action: 'hold', reason });
  if (!ctx.mode.test) batch.states.push(quarantined(pair.contract, originId, flip, reason, ctx));
  return true;
}

/** A contract that still says a write of this object failed or was refused (by the target or the schema). */
const refusedBefore = (pair: Decided['pair']) =>
  pair.contract?.status === 'rejected' ||
  pair.contract?.status === 'failed' ||
  pair.contract?.status === 'invalid';

/** One decision: done with here (counted, and recorded outside a test run), or added to `writes`. */
async function sortOne(
  batch: Batch,
  d: Decided,
  writes: Writes,
  allowDeletes: { readonly register: boolean; readonly source: boolean },
): Promise<void> {
  const { ctx, tally, entries, states } = batch;
  const { pair, decision } = d;
  const originId = pair.originId;
  switch (decision.do) {
    case 'nothing':
      tally.unchanged += 1;
      // Both sides agree with the base again (a refused change undone): the refusal is over.
      if (!ctx.mode.test && refusedBefore(pair) && originId && pair.target && decision.why === 'unchanged')
        states.push(synced(pair, originId, { lastAction: 'skip' }, ctx));
      break;
    case 'rebase':
      tally.unchanged += 1;
      if (pair.inConflict && originId) batch.agreed.push(originId);
      if (!ctx.mode.test && originId && pair.target)
        states.push(
          synced(pair, originId, { lastAction: decision.why === 'matched' ? 'match' : 'skip' }, ctx),
        );
      break;
    case 'conflict':
      tally.conflicts += 1;
      entries.push({ originId, action: 'conflict', reason: conflictReason(decision.kind, !pair.contract) });
      if (!ctx.mode.test && originId) {
        await batch.ports.pairs.recordConflict(conflictRecord(ctx, pair, decision.kind));
        states.push(inConflict(pair, originId, ctx, decision.kind));
      }
      break;
    case 'to-target':
      if (flapTripped(batch, d)) break;
      (decision.create || !pair.target ? writes.register.creates : writes.register.updates).push(d);
      break;
    case 'to-source': {
      const object = sourceObjectOf(ctx, pair);
      // It fails alike until the register object or the mapping changes: rejected, said on the contract.
      if (typeof object === 'string') notWritten(batch, d, object, false);
      else if (!flapTripped(batch, d))
        (decision.create || !originId ? writes.source.creates : writes.source.updates).push({ d, object });
      break;
    }
    case 'delete-target':
      deleteOrHold(batch, d, allowDeletes.register, 'in the register', writes.register.deletes);
      break;
    case 'delete-source':
      deleteOrHold(batch, d, allowDeletes.source, 'at the source', writes.source.deletes);
      break;
  }
}

/**
 * A deletion is made only under a deletion policy (without one it counts as unchanged), and only where
 * this run may delete: otherwise it is held, and logged as held.
 */
function deleteOrHold(batch: Batch, d: Decided, allowed: boolean, where: string, deletes: Decided[]): void {
  if (batch.ctx.deletionPolicy === 'none') batch.tally.unchanged += 1;
  else if (!allowed) {
    batch.tally.held += 1;
    batch.entries.push({
      originId: d.pair.originId,
      action: 'hold',
      reason: `Deletion ${where} held: ${reasonOf(d.decision)}`,
    });
  } else if (!flapTripped(batch, d)) deletes.push(d);
}
