// Exactly-once creates at a system that assigns its own ids (a REST POST), across a process killed in
// the middle of a write step. The step that runs again after a restart sends its creates again, and a
// target that ignores Idempotency-Key would then hold the object twice. So each create is written
// ahead (stores/create-intents.ts) and, when the same object comes to be created again without a
// contract:
// - its intent is `sent` (the answer arrived, the contract did not): the object is adopted, nothing sent;
// - its intent is `sending` (the process died while the request was out): the target is asked for it by
//   its match field when it can be (`findExisting`); found once → adopted; found more than once →
//   refused, for a person to link; not found → sent again, under the first attempt's Idempotency-Key.
// A create the target refused (not transient) did not happen, and its intent is forgotten at once — unless
// the target accepted it without an answer Concord could read (`mayExist`): the object may be there.
import type { TargetCreate, TargetPort, TargetWriteResult } from '../ports';

export interface PendingCreate {
  readonly idempotencyKey: string;
  readonly sent: { readonly targetId: string; readonly targetHash: string } | null;
}

export interface CreateIntentStore {
  pending(originIds: readonly string[]): Promise<Map<string, PendingCreate>>;
  sending(items: readonly { originId: string; idempotencyKey: string }[]): Promise<void>;
  sent(items: readonly { originId: string; targetId: string; targetHash: string }[]): Promise<void>;
  forget(originIds: readonly string[]): Promise<void>;
}

/** What a target found for an object it may already hold: none, exactly one, or several. */
export type FoundExisting =
  | { readonly kind: 'none' }
  | { readonly kind: 'one'; readonly targetId: string; readonly targetHash: string }
  | { readonly kind: 'many'; readonly count: number; readonly field: string }
  | { readonly kind: 'unknown'; readonly reason: string };

/** A target that can look an object up by its match field before creating it. */
export interface FindsExisting {
  findExisting(item: TargetCreate): Promise<FoundExisting>;
}

export function guardCreates(
  target: TargetPort & Partial<FindsExisting>,
  store: CreateIntentStore,
): TargetPort {
  return {
    ...target,
    async create(items) {
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
        const found = target.findExisting ? await target.findExisting(item) : { kind: 'none' as const };
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
        else toSend.push({ ...item, idempotencyKey: intent.idempotencyKey });
      }
      if (toSend.length > 0) {
        await store.sending(toSend);
        for (const result of await target.create(toSend)) answered.set(result.originId, result);
      }
      const adopted = [...answered.values()].filter(
        (r): r is Extract<TargetWriteResult, { ok: true }> => r.ok,
      );
      await store.sent(adopted);
      // Refused for good: nothing was created. A transient failure, or a create accepted without a
      // readable answer, may have landed: keep asking.
      await store.forget(
        toSend
          .map((item) => answered.get(item.originId))
          .filter((r) => r !== undefined && !r.ok && !r.transient && !r.mayExist)
          .map((r) => r!.originId),
      );
      return items.map(
        (item) =>
          answered.get(item.originId) ?? {
            originId: item.originId,
            ok: false as const,
            reason: 'the target did not answer for this object',
            transient: true,
          },
      );
    },
  };
}
