// Exactly-once creates at a system that assigns its own ids (a REST POST), across a process killed in
// the middle of a write step. The step that runs again after a restart sends its creates again, and a
// target that ignores Idempotency-Key would then hold the object twice. So each create is written
// ahead (stores/create-intents.ts) and, when the same object comes to be created again without a
// contract:
// - its intent is `sent` (the answer arrived, the contract did not): the object is adopted, nothing sent;
// - its intent is `sending` (the process died while the request was out): the target is asked for it by
//   its match field when it can be (`findExisting`); found once → adopted; found more than once →
//   refused, for a person to link; not found, or no way to ask → sent again, under the first attempt's
//   Idempotency-Key;
// - its intent is `accepted` (the target took the create — a 2xx — without an answer naming the new
//   object, `mayExist`): asked for it in the same way; but where the target cannot be asked, the object
//   may well be there, so it is refused again (`mayExist`, not sent) for as long as it is the object that
//   was sent. A changed object is sent again, as the first answer said ("not sent again until it changes").
// A create the target refused (not transient) did not happen, and its intent is forgotten at once.
import { canonicalJson } from '../core/canonical-json';
import type { TargetCreate, TargetPort, TargetRefusal, TargetWriteResult } from '../ports';

export interface PendingCreate {
  readonly idempotencyKey: string;
  readonly sent: { readonly targetId: string; readonly targetHash: string } | null;
  /** The target accepted the create without naming the new object: the object that was sent. */
  readonly accepted: Readonly<Record<string, unknown>> | null;
}

export interface CreateIntentStore {
  pending(originIds: readonly string[]): Promise<Map<string, PendingCreate>>;
  /** Written before the creates leave, with the object each sends (for a listing to know it again). */
  sending(
    items: readonly {
      originId: string;
      idempotencyKey: string;
      object?: Readonly<Record<string, unknown>>;
    }[],
  ): Promise<void>;
  sent(items: readonly { originId: string; targetId: string; targetHash: string }[]): Promise<void>;
  accepted(items: readonly { originId: string; object: Readonly<Record<string, unknown>> }[]): Promise<void>;
  forget(originIds: readonly string[]): Promise<void>;
}

/**
 * What a target found for an object it may already hold: none, exactly one, or several; `unknown` when
 * asking failed (try later); `unaskable` when it has no way to tell (no match field, no own id, or what it
 * holds at the object's own id is not the object sent), `why` in words for a message.
 */
export type FoundExisting =
  | { readonly kind: 'none' }
  | { readonly kind: 'one'; readonly targetId: string; readonly targetHash: string }
  | { readonly kind: 'many'; readonly count: number; readonly field: string }
  | { readonly kind: 'unknown'; readonly reason: string }
  | { readonly kind: 'unaskable'; readonly why: string };

/**
 * Whether `found` holds every field of `sent` with the same value (canonical JSON, as the engine compares
 * objects), the fields named in `except` aside: the record is plausibly the object that was sent.
 */
export function holdsSent(
  sent: Readonly<Record<string, unknown>>,
  found: Readonly<Record<string, unknown>>,
  except: readonly string[] = [],
): boolean {
  return Object.entries(sent).every(
    ([key, value]) =>
      value === undefined ||
      except.includes(key) ||
      (Object.hasOwn(found, key) && canonicalJson(found[key]) === canonicalJson(value)),
  );
}

/** The refusal of a create the target accepted before without naming it, while it cannot be asked. */
function stillMayExist(originId: string, why: string): TargetRefusal {
  return {
    originId,
    ok: false,
    mayExist: true,
    reason:
      'An earlier attempt to create this object was accepted by the target (a 2xx) without an answer naming ' +
      `the object it made: it may be there. Check the target for it: Concord cannot look it up (${why}), ` +
      'so it is not sent again until it changes. Set a match field and the next run links it instead.',
  };
}

/** A target that can look an object up by its match field before creating it. */
export interface FindsExisting {
  findExisting(item: TargetCreate): Promise<FoundExisting>;
  /**
   * Which of these creates must be written ahead, for a target whose other creates repeat safely by a
   * key of their own (an SQL row at the object's key; a row whose key the database gives does not).
   */
  needsIntent?(items: readonly TargetCreate[]): Promise<readonly boolean[]>;
}

/**
 * `every`: each create is written ahead, whatever the target's `needsIntent` says (a two-way write-back
 * refuses a create at a taken key, so even a keyed create's repeat must learn it landed).
 */
export function guardCreates(
  target: TargetPort & Partial<FindsExisting>,
  store: CreateIntentStore,
  options: { every?: boolean } = {},
): TargetPort {
  const select = options.every ? undefined : target.needsIntent?.bind(target);
  return {
    ...target,
    async create(items) {
      if (!select || items.length === 0) return guarded(items);
      const needed = await select(items);
      const ahead = items.filter((_, i) => needed[i]);
      const direct = items.filter((_, i) => !needed[i]);
      const answered = new Map<string, TargetWriteResult>();
      for (const result of [
        ...(direct.length > 0 ? await target.create(direct) : []),
        ...(ahead.length > 0 ? await guarded(ahead) : []),
      ])
        answered.set(result.originId, result);
      return items.map((item) => answered.get(item.originId) ?? notAnswered(item.originId));
    },
  };

  async function guarded(items: readonly TargetCreate[]): Promise<TargetWriteResult[]> {
    const pending = await store.pending(items.map((item) => item.originId));
    const answered = new Map<string, TargetWriteResult>();
    const toSend: TargetCreate[] = [];
    for (const item of items) {
      const intent = pending.get(item.originId);
      if (!intent) {
        toSend.push(item);
        continue;
      }
      if (intent.sent) {
        answered.set(item.originId, { originId: item.originId, ok: true, ...intent.sent });
        continue;
      }
      const found: FoundExisting = target.findExisting
        ? await target.findExisting(item)
        : { kind: 'unaskable', why: 'the target cannot be asked for an object' };
      if (found.kind === 'one')
        answered.set(item.originId, {
          originId: item.originId,
          ok: true,
          targetId: found.targetId,
          targetHash: found.targetHash,
        });
      else if (found.kind === 'many')
        answered.set(item.originId, {
          originId: item.originId,
          ok: false,
          reason:
            `An earlier attempt to create this object was interrupted, and the target now holds ${found.count} ` +
            `objects with the same ${found.field}: open them, delete the extra ones, and run again.`,
        });
      // Cannot tell (the lookup failed): try later rather than risk a second copy.
      else if (found.kind === 'unknown')
        answered.set(item.originId, {
          originId: item.originId,
          ok: false,
          transient: true,
          reason: `An earlier attempt to create this object was interrupted, and the target could not be asked whether it holds it: ${found.reason}`,
        });
      // Accepted, and the target cannot tell whether it holds it: not sent again while unchanged.
      else if (
        found.kind === 'unaskable' &&
        intent.accepted &&
        canonicalJson(intent.accepted) === canonicalJson(item.object)
      )
        answered.set(item.originId, stillMayExist(item.originId, found.why));
      else toSend.push({ ...item, idempotencyKey: intent.idempotencyKey });
    }
    if (toSend.length > 0) {
      await store.sending(toSend);
      for (const result of await target.create(toSend)) answered.set(result.originId, result);
    }
    const adopted = [...answered.values()].filter((r): r is Extract<TargetWriteResult, { ok: true }> => r.ok);
    await store.sent(adopted);
    // Taken without an answer naming the object: it may be there. What was sent is kept, to know it again.
    const accepted = toSend.filter((item) => {
      const result = answered.get(item.originId);
      return result !== undefined && !result.ok && result.mayExist === true;
    });
    await store.accepted(accepted.map((item) => ({ originId: item.originId, object: item.object })));
    // Refused for good: nothing was created. A transient failure, or a create accepted without a
    // readable answer, may have landed: keep asking.
    await store.forget(
      toSend
        .map((item) => answered.get(item.originId))
        .filter((r) => r !== undefined && !r.ok && !r.transient && !r.mayExist)
        .map((r) => r!.originId),
    );
    return items.map((item) => answered.get(item.originId) ?? notAnswered(item.originId));
  }
}

function notAnswered(originId: string): TargetWriteResult {
  return { originId, ok: false, reason: 'the target did not answer for this object', transient: true };
}
