// Asking a REST target for an object by its match field (`GET <endpoint>?<param>=<value>`, the endpoint
// the create endpoint unless given): before a create an earlier attempt may have made
// (create-intents.ts), and for an update whose object is gone at its id (rest-gone-at-id.ts).
import type { RestTargetConfig } from '../config/sync-config';
import { isRecord, lookupPath } from '../core/paths';
import type { HttpClient } from '../http';
import type { TargetCreate } from '../ports';
import type { FoundExisting } from './create-intents';
import { storedHash } from './rest-body';

/** Only for a target with a match field. */
export async function findByMatchField(
  client: HttpClient,
  target: RestTargetConfig,
  item: TargetCreate,
): Promise<FoundExisting> {
  const match = target.match!;
  const wanted = lookupPath(item.object, match.field);
  const value = wanted.found ? wanted.value : undefined;
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
    return { kind: 'unaskable', why: `the object has no value at its match field \`${match.field}\`` };
  const http = await client.send({
    endpoint: match.endpoint ?? target.createEndpoint,
    record: { originId: item.originId, object: item.object },
    method: 'GET',
    query: { [match.param ?? match.field]: String(value) },
  });
  if (!http.ok) return { kind: 'unknown', reason: http.reason };
  // Kept only when the field really holds the value: an API that ignores the parameter answers everything.
  const listed = listedObjects(http.body);
  const same = listed.filter((candidate) => {
    const field = lookupPath(candidate, match.field);
    return field.found && String(field.value) === String(value);
  });
  if (same.length > 1) return { kind: 'many', count: same.length, field: match.field };
  const only = same[0];
  // Objects listed, none of them this one: the target did not filter by the parameter (or filters
  // loosely), and may hold the object on a page it did not answer. "None" would send the create again.
  if (!only && listed.length > 0)
    return {
      kind: 'unknown',
      reason:
        `its answer to the lookup lists objects whose \`${match.field}\` is not "${String(value)}": the target ` +
        `does not filter by \`${match.param ?? match.field}\`, so it cannot tell whether it holds the object ` +
        '(set the match param to one the target filters by exactly)',
    };
  if (!only) return { kind: 'none' };
  const id = lookupPath(only, target.idPath);
  if (!id.found || (typeof id.value !== 'string' && typeof id.value !== 'number'))
    return { kind: 'unknown', reason: `the object found has no id at \`${target.idPath}\`` };
  return { kind: 'one', targetId: String(id.value), targetHash: storedHash(only, item.object) };
}

/** The objects of a lookup's answer: the answer itself when a list, or the list it wraps. */
function listedObjects(body: unknown): Record<string, unknown>[] {
  const list = Array.isArray(body)
    ? body
    : isRecord(body)
      ? (['data', 'items', 'results', 'records'].map((key) => body[key]).find(Array.isArray) ?? [])
      : [];
  return list.filter(isRecord);
}
