// Writing the source, after the register: one create batch, then one update batch, through the
// write-back port. What the source holds afterwards is read back by id, so the next run compares the
// source with what it really holds. A write that went through is counted and logged; a conflict it
// settled is kept as history, an open conflict it ends is closed by agreement, and the contract takes both
// sides' new bases. An object the source created under a new id leaves its old contract a tombstone.
import { hashObject, hashValue } from '../core/canonical-json';
import {
  answersTo,
  createRequest,
  fromRegister,
  keyOf,
  refused,
  unanswered,
  unlessChangedAtSource,
  updateRequest,
  type Batch,
  type SourceWrite,
} from './batch';
import { recordSettled } from './conflict-records';
import { sqlEmptied } from './source-own-fields';
import { checkedAtSource } from './source-unchanged';
import { takeGivenFields } from './given-fields';
import { synced, tombstone } from './pair-states';
import { notKeptNote, reasonOf } from './words';

/** A write the source took: its id there (new for a create) and whether it was created. */
type Written = SourceWrite & { sourceId: string; create: boolean };

/** Returns the source's ids of the objects created there. */
export async function writeSource(
  batch: Batch,
  creates: readonly SourceWrite[],
  updates: readonly SourceWrite[],
): Promise<string[]> {
  const written = await send(batch, creates, notSentBefore(batch, updates));
  if (written.size > 0) await recordWritten(batch, written);
  return [...written.values()].filter((w) => w.create).map((w) => w.sourceId);
}

/**
 * The updates to send: not one that would bring two sides left apart together (the register the source
 * of truth) by sending exactly what the source was last sent and did not keep — a key it does not
 * change, a value it stores its own way. Sent again every run, it would be written every run and never
 * kept; its write's entry said so (notKeptNote). It is sent again once the register object changes.
 * Counted in step with the source, as far as Concord can bring it.
 */
function notSentBefore(batch: Batch, updates: readonly SourceWrite[]): SourceWrite[] {
  return updates.filter((w) => {
    const sentBefore = w.d.pair.contract?.originSentHash;
    const again =
      'why' in w.d.decision &&
      w.d.decision.why === 'apart' &&
      sentBefore != null &&
      sentBefore === hashObject(w.object, batch.ctx.hashFields);
    if (again) batch.tally.unchanged += 1;
    return !again;
  });
}

/** The writes and the source's answers: refusals recorded, the rest counted, by the source's id. */
async function send(
  batch: Batch,
  creates: readonly SourceWrite[],
  updates: readonly SourceWrite[],
): Promise<Map<string, Written>> {
  const { ctx, ports } = batch;
  const created = creates.length
    ? await ports.writeBack.port.create(
        creates.map(({ d, object }) =>
          createRequest(batch, d.pair, object, hashValue(object), fromRegister(ctx)),
        ),
      )
    : [];
  // A REST source's object changed since the listing is not written over (source-unchanged.ts).
  const checked = await checkedAtSource(batch, updates, false);
  const updated = checked.length
    ? await ports.writeBack.port.update(
        checked.map(({ d, object, precondition }) => ({
          ...updateRequest(batch, d.pair, d.pair.originId!, object, hashValue(object), fromRegister(ctx)),
          ...unlessChangedAtSource(batch, d.pair),
          ...sqlEmptied(d.pair.source, ctx.sqlCarried ?? null),
          ...(precondition ? { precondition } : {}),
        })),
      )
    : [];
  const written = new Map<string, Written>();
  const key = (w: SourceWrite) => keyOf(w.d.pair);
  const answered = [
    ...answersTo(creates, key, created).map(([w, a]) => [w, a, true] as const),
    ...answersTo(checked, key, updated).map(([w, a]) => [w, a, false] as const),
  ];
  for (const [w, answer, create] of answered) {
    if (!answer) unanswered(batch, w.d, 'The source');
    else if (!answer.ok && answer.mayExist)
      // Taken without an answer naming the object: not a refusal. The listing may know it again (run.ts).
      refused(batch, w.d, 'At the source', {
        ...answer,
        reason: `${answer.reason} The next run also links it if the source lists an object holding every field that was sent.`,
      });
    else if (!answer.ok) refused(batch, w.d, 'The source refused it', answer);
    else {
      batch.tally.source[create ? 'created' : 'updated'] += 1;
      written.set(answer.targetId, { ...w, sourceId: answer.targetId, create });
    }
  }
  return written;
}

/** What the source holds now, where it can be read by id; otherwise what was written stands for it. */
async function recordWritten(batch: Batch, written: ReadonlyMap<string, Written>): Promise<void> {
  const { ctx } = batch;
  const readBack = await batch.ports.writeBack
    .readBack([...written.keys()])
    .catch(() => new Map<string, Record<string, unknown>>());
  const given = await takeGivenFields(
    batch,
    [...written].flatMap(([sourceId, w]) => {
      const read = w.create ? readBack.get(sourceId) : undefined;
      return read ? [{ w, sourceId, read }] : [];
    }),
  );
  for (const [sourceId, w] of written) {
    const { d } = w;
    const read = readBack.get(sourceId);
    const holds = read ?? w.object;
    await recordSettled(batch, d, 'to-source', d.pair.mapped);
    if (d.pair.inConflict && d.pair.originId) batch.agreed.push(d.pair.originId);
    const kept = read ? notKeptNote(w.object, read, ctx.twoWay.sourceOfTruth, d.pair.source) : '';
    batch.entries.push({
      originId: sourceId,
      action: w.create ? 'create' : 'update',
      reason: `At the source: ${reasonOf(d.decision)}${kept ? `.${kept}` : ''}`,
    });
    const state = synced(
      {
        ...d.pair,
        originId: sourceId,
        source: holds,
        sourceHash: hashObject(holds, ctx.hashFields),
        target: given.get(sourceId) ?? d.pair.target,
      },
      sourceId,
      {
        lastAction: 'write-back',
        sentToSource: hashObject(w.object, ctx.hashFields),
        flip: batch.flips.get(keyOf(d.pair)),
      },
      ctx,
    );
    batch.states.push(state);
    // An object that came back at the source under a new id: its old contract is a tombstone.
    if (d.pair.contract && d.pair.originId && d.pair.originId !== sourceId)
      batch.states.push(tombstone(d.pair.contract, d.pair.originId, ctx));
  }
}
