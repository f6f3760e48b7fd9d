// What a source gives a new object of its own accord — its id (a database's serial key, an API's new
// id), a default, a creation time — comes back when a create at the source is read back. Where the
// mapping carries such fields into the register, the register object takes them in the same run, so the
// object is in step on both sides at once: otherwise the next run finds the two sides apart and brings
// them in only then ("the two sides differ although neither changed"). Taken only when the source added
// fields and changed none the register holds (every register field comes back as it was): anything
// else is a difference the decision table settles, not a gift.
import { canonicalJson, hashValue } from '../core/canonical-json';
import { applyMapping } from '../core/mapping/apply';
import { inHeldTypes } from '../core/two-way/held-types';
import type { TargetUpdate } from '../ports';
import type { Batch, SourceWrite } from './batch';
import type { RegisterObject } from './register-side';

/** A create at the source, with what the source holds now and the id it gave the object. */
export interface ReadCreate {
  readonly w: SourceWrite;
  readonly sourceId: string;
  readonly read: Readonly<Record<string, unknown>>;
}

/**
 * The register objects that took the fields their source gave them, by the source's id. One register
 * write for the batch; a refused one is left to the next run, which finds the sides apart.
 */
export async function takeGivenFields(
  batch: Batch,
  creates: readonly ReadCreate[],
): Promise<Map<string, RegisterObject>> {
  const { ctx, ports } = batch;
  const taken = new Map<string, RegisterObject>();
  const wanted: {
    sourceId: string;
    target: RegisterObject;
    data: Record<string, unknown>;
    added: string[];
  }[] = [];
  for (const { w, sourceId, read } of creates) {
    const target = w.d.pair.target;
    if (!target) continue;
    const mapped = ctx.forward ? applyMapping(ctx.forward, read) : { ok: true as const, value: read };
    if (!mapped.ok) continue;
    const data = inHeldTypes(mapped.value, target.data) as Record<string, unknown>;
    const added = addedFields(target.data, data);
    if (added) wanted.push({ sourceId, target, data, added });
  }
  if (wanted.length === 0) return taken;
  const requests: TargetUpdate[] = wanted.map(({ sourceId, target, data }) => ({
    originId: sourceId,
    targetId: target.id,
    object: data,
    hash: hashValue(data),
    origin: ctx.origin,
    page: batch.page,
  }));
  const answers = new Map((await ports.register.update(requests)).map((a) => [a.originId, a]));
  for (const { sourceId, target, data, added } of wanted) {
    const answer = answers.get(sourceId);
    if (!answer?.ok) continue;
    batch.tally.register.updated += 1;
    batch.entries.push({
      originId: sourceId,
      action: 'update',
      reason: `In the register: took what the source gave the new object (${added.join(', ')})`,
    });
    taken.set(sourceId, { id: target.id, data, hash: answer.targetHash, updatedAt: batch.now });
  }
  return taken;
}

/**
 * The fields `after` adds to `before` when it holds every field of `before` as it was; null when it
 * adds none, or changes or drops one.
 */
export function addedFields(
  before: Readonly<Record<string, unknown>>,
  after: Readonly<Record<string, unknown>>,
): string[] | null {
  for (const [key, value] of Object.entries(before))
    if (
      value !== undefined &&
      (!Object.hasOwn(after, key) || canonicalJson(after[key]) !== canonicalJson(value))
    )
      return null;
  const added = Object.keys(after).filter((key) => after[key] !== undefined && !Object.hasOwn(before, key));
  return added.length > 0 ? added.sort() : null;
}
