// An update the target answered 404 (or 410) at the id it gave the object. That may be a deletion there,
// a permission change (these credentials no longer see it), an update endpoint that does not point where
// the target keeps its objects, or a passing glitch. Sending the create again at once could make a second
// copy at a target that gives objects ids of its own (the object may still be there, under another id or
// out of sight), so the object is created again only where that cannot duplicate it:
// - Concord chooses where the object lives (creates are a PUT at an address made from the object): the
//   create is sent again, and a repeat lands on the same object;
// - the target names a match field: it is asked for the object by that field first. None → created again
//   (an answer lost on the way is found by the same lookup next time, never sent blindly); one at another
//   id → updated there and linked; one at the same id → the update itself is refused, said so; several →
//   refused, for a person to clean up; the lookup failing → tried again next run.
// Otherwise the object is refused — not transient: a 404 that stays would fail every run, and a refusal is
// sent again when the object changes or its contract is re-synced — with what a person can do about it.
import type { HttpFailure } from '../http';
import type { TargetCreate, TargetRefusal, TargetUpdate, TargetWriteResult } from '../ports';
import type { FoundExisting } from './create-intents';

export interface GoneAtIdWays {
  /** Creates are a PUT at an address Concord makes from the object (`PUT /people/{{originId}}`), in words. */
  readonly createsAtOwnAddress: string | null;
  /** The match field the target can be asked by, and the asking; null without one. */
  readonly match: { readonly field: string; find(item: TargetCreate): Promise<FoundExisting> } | null;
  create(item: TargetCreate): Promise<TargetWriteResult>;
  /** The update sent to another id; its answer as it comes (a 404 there is a plain refusal). */
  updateAt(item: TargetUpdate, targetId: string): Promise<TargetWriteResult>;
}

/** The create that stands for the update: a key of its own, the same for a retried step of the run. */
function asCreate(item: TargetUpdate): TargetCreate {
  const { syncId, runId } = item.origin;
  return {
    originId: item.originId,
    object: item.object,
    idempotencyKey: `${syncId}:${runId}:${item.originId}:gone-at:${item.targetId}`,
    ...(item.hash ? { hash: item.hash } : {}),
    origin: item.origin,
    page: item.page,
  };
}

export async function afterGoneAtId(
  item: TargetUpdate,
  http: HttpFailure,
  ways: GoneAtIdWays,
): Promise<TargetWriteResult> {
  const gone = `The target no longer has this object at its id \`${item.targetId}\` (${http.reason})`;
  const recreated = (result: TargetWriteResult, how: string): TargetWriteResult =>
    result.ok
      ? {
          ...result,
          relocated: {
            created: true,
            reason: `The target no longer had this object at its id \`${item.targetId}\` (${http.status}): ${how}; its id now is \`${result.targetId}\`.`,
          },
        }
      : result;

  if (ways.createsAtOwnAddress)
    return recreated(
      await ways.create(asCreate(item)),
      `created again at the address Concord gives it (${ways.createsAtOwnAddress}), where a repeat lands on the same object`,
    );
  if (!ways.match) return refused(item.originId, gone, null);

  const { field } = ways.match;
  const found = await ways.match.find(asCreate(item));
  switch (found.kind) {
    case 'none':
      return recreated(
        await ways.create(asCreate(item)),
        `looked up by its match field \`${field}\`, it holds none, so it was created again`,
      );
    case 'one': {
      if (found.targetId === item.targetId)
        return {
          originId: item.originId,
          ok: false,
          reason:
            `${gone}, yet looked up by its match field \`${field}\` it is listed at that same id: the update ` +
            'itself is refused there. Check the update endpoint, and that these credentials may change the object.',
        };
      const result = await ways.updateAt(item, found.targetId);
      return result.ok
        ? {
            ...result,
            relocated: {
              created: false,
              reason: `The target no longer had this object at its id \`${item.targetId}\` (${http.status}); looked up by its match field \`${field}\`, it holds it at \`${found.targetId}\`: updated there, and linked.`,
            },
          }
        : result;
    }
    case 'many':
      return {
        originId: item.originId,
        ok: false,
        reason:
          `${gone}, and it holds ${found.count} objects with the same ${found.field}: open them, delete the ` +
          'extra ones, and re-sync this object from its contract; the one left is then linked.',
      };
    case 'unknown':
      return {
        originId: item.originId,
        ok: false,
        transient: true,
        reason: `${gone}, and it could not be asked whether it holds it by its match field \`${field}\`: ${found.reason}. Tried again next run.`,
      };
    case 'unaskable':
      return refused(item.originId, gone, found.why);
  }
}

function refused(originId: string, gone: string, unaskable: string | null): TargetRefusal {
  const lookup = unaskable
    ? `Concord cannot look it up (${unaskable}). To have it created again, give it a value there`
    : 'To have it created again, set a match field in the target settings';
  return {
    originId,
    ok: false,
    reason:
      `${gone}: it may have been deleted there, these credentials may no longer see it, or the update ` +
      'endpoint does not point where the target keeps it. Concord does not create it again by itself: the ' +
      'target gives objects ids of its own, so if the object is still there (under another id, or out of ' +
      'sight), a second copy would be made. It is sent to the same id again when it changes or its contract ' +
      `is re-synced. ${lookup}: the next attempt looks it up by that field, links it when the target holds ` +
      'it, and creates it again when it holds none.',
  };
}
