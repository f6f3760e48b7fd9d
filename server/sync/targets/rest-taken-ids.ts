// A create the target answered with an id that cannot be the new object's own: one it gave another object
// of the same batch too, or one another object of the synchronisation already holds by its contract. An
// asynchronous API that names its job (`{"id": "job-1", "status": "queued"}`), or an id path that points
// at something every answer shares, would otherwise link many objects to one target id: their updates
// would overwrite each other there, and the deletion of one would delete it for all. Such a create is not
// linked: the target took it, so it may exist there, and it is answered as one Concord cannot confirm
// (rest-unread.ts), with the id, the object that has it, and what to check.
import type { TargetCreate, TargetWriteResult } from '../ports';
import { createMayExist } from './rest-unread';
import type { KeyHolders } from './sql-taken-keys';

/**
 * `results` in the order of `items`; `holders`: which objects hold these target ids by their live
 * contracts (null: none asked); `lookupOf`: how the next run can ask the target for an object.
 */
export async function refuseSharedIds(
  items: readonly TargetCreate[],
  results: readonly TargetWriteResult[],
  idPath: string,
  holders: KeyHolders | null,
  lookupOf: (item: TargetCreate) => string | null,
): Promise<TargetWriteResult[]> {
  const given = new Map<string, string[]>();
  for (const result of results)
    if (result.ok && result.targetId)
      given.set(result.targetId, [...(given.get(result.targetId) ?? []), result.originId]);
  if (given.size === 0) return [...results];
  const held = holders ? await holders([...given.keys()]) : new Map<string, string>();
  return results.map((result, index) => {
    if (!result.ok || !result.targetId) return result;
    const id = result.targetId;
    const other = given.get(id)?.find((originId) => originId !== result.originId);
    const holder = held.get(id);
    const has =
      other !== undefined
        ? `it also gave object "${other}"`
        : holder !== undefined && holder !== result.originId
          ? `object "${holder}" already holds`
          : null;
    if (has === null) return result;
    const what =
      `The target answered the create with the id "${id}", which ${has}: Concord does not link two ` +
      'objects to one target object (their updates would overwrite each other there). Check that the id ' +
      `path \`${idPath}\` names the new object's own id. The object may have been created there.`;
    return createMayExist(result.originId, what, lookupOf(items[index]!));
  });
}
