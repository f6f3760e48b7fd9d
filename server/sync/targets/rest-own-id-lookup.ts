// Asking a REST target for an object by the id it was sent with (`GET` at the update endpoint): before a
// create an earlier attempt may have made (create-intents.ts), where the target has no match field. Only
// an object holding every field that was sent counts as found; and, for the messages of an unconfirmed
// create, in words how the target can be asked at all (the match field's sibling: rest-match-lookup.ts).
import type { RestTargetConfig } from '../config/sync-config';
import { isRecord, lookupPath } from '../core/paths';
import type { HttpClient } from '../http';
import type { TargetCreate } from '../ports';
import { holdsSent, type FoundExisting } from './create-intents';
import { storedHash } from './rest-body';

/** How `findExisting` can ask the target for this object, in words for a message; null when it cannot. */
export function lookupWords(target: RestTargetConfig, item: TargetCreate): string | null {
  if (target.match) {
    const wanted = lookupPath(item.object, target.match.field);
    const value = wanted.found ? wanted.value : undefined;
    const asked = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
    return asked ? `its match field \`${target.match.field}\`` : null;
  }
  const own = lookupPath(item.object, target.idPath);
  const id = own.found ? own.value : undefined;
  return (typeof id === 'string' && id !== '') || typeof id === 'number'
    ? `its own id at \`${target.idPath}\``
    : null;
}

/**
 * An object created with its id in the body (the target keeps the id it is given): asked for at its
 * update endpoint. What is there is the object only when it holds every field that was sent, as sent:
 * a target that gives objects ids of its own may hold an unrelated one at that id, which linking would
 * have later updates overwrite. Then, as without such an id (and without a match field), it cannot tell.
 */
export async function findByOwnIdAt(
  client: HttpClient,
  target: RestTargetConfig,
  item: TargetCreate,
): Promise<FoundExisting> {
  const own = lookupPath(item.object, target.idPath);
  const id = own.found ? own.value : undefined;
  if ((typeof id !== 'string' || id === '') && typeof id !== 'number')
    return {
      kind: 'unaskable',
      why: `there is no match field, and the object has no id of its own at \`${target.idPath}\``,
    };
  const http = await client.send({
    endpoint: target.updateEndpoint,
    record: { targetId: String(id), originId: item.originId, object: item.object },
    method: 'GET',
  });
  if (http.ok) {
    // The id itself is what was asked for (a target may answer it as a number for text, or the reverse).
    const idKey = target.idPath.includes('.') ? [] : [target.idPath];
    if (isRecord(http.body) && holdsSent(item.object, http.body, idKey))
      return { kind: 'one', targetId: String(id), targetHash: storedHash(http.body, item.object) };
    return {
      kind: 'unaskable',
      why:
        `there is no match field, and what the target holds at the object's id \`${String(id)}\` is not ` +
        'the object sent (a target that gives its objects ids of its own may hold another object there)',
    };
  }
  if (http.status === 404 || http.status === 410) return { kind: 'none' };
  return { kind: 'unknown', reason: http.reason };
}
