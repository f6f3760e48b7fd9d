// Sub-objects: lists nested in a parent (order lines, addresses) synchronised with contracts of their
// own. Their origin ids combine parent id, path and child id, so the next run finds the same contracts.
import type { EngineSettings } from './one-way';
import type { IdentifiedItem } from './ids';
import { DEFAULT_ID_FIELD, readOriginId } from './ids';
import { isRecord, lookupPath } from './paths';

export interface SubObjectConfig {
  /** Where the list sits in the parent, e.g. `lines` or `order.lines`. A single object counts as a list of one. */
  readonly path: string;
  /** The child's own id within the list (default `id`). */
  readonly idField?: string;
}

/**
 * A configured kind of sub-object, ready to run. Children are written to the parent's target with their
 * own mapping; they have no conditions (their parent's decide) and their hash covers the whole child.
 */
export interface SubObjectSettings extends SubObjectConfig {
  readonly idField: string;
  readonly settings: EngineSettings;
  /** When the children's mapping was last edited (null without one): an edit makes every child update. */
  readonly mappingChangedAt: Date | null;
}

// `/` separates the parts; escaping it (and `%`) inside ids keeps `a/b` + `c` apart from `a` + `b/c`.
const escape = (part: string): string => part.replace(/%/g, '%25').replace(/\//g, '%2F');

export function subObjectOriginId(parentOriginId: string, path: string, childId: string): string {
  return `${escape(parentOriginId)}/${path}/${escape(childId)}`;
}

/**
 * A sub-object's origin id once its parent's origin id changed (the synchronisation's id field was
 * changed, services/sync-rekey.ts): the same path and child id under the new parent id. Null when
 * `originId` is not one of `oldParent`'s sub-objects.
 */
export function underNewParent(originId: string, oldParent: string, newParent: string): string | null {
  const prefix = `${escape(oldParent)}/`;
  return originId.startsWith(prefix) ? `${escape(newParent)}/${originId.slice(prefix.length)}` : null;
}

/** Which of `paths` a sub-object of `parentOriginId` was found at (the longest that fits), or null. */
export function subObjectPath(
  originId: string,
  parentOriginId: string,
  paths: Iterable<string>,
): string | null {
  const prefix = `${escape(parentOriginId)}/`;
  if (!originId.startsWith(prefix)) return null;
  const rest = originId.slice(prefix.length);
  let found: string | null = null;
  for (const path of paths)
    if (rest.startsWith(`${path}/`) && (found === null || path.length > found.length)) found = path;
  return found;
}

/**
 * The children at `config.path` as identified items, ready for the decision engine. A missing list is
 * no children; a child without an id is invalid with its reason; a repeated child id is invalid too.
 */
export function extractSubObjects(
  parent: Record<string, unknown>,
  parentOriginId: string,
  config: SubObjectConfig,
): IdentifiedItem[] {
  const lookup = lookupPath(parent, config.path);
  if (!lookup.found || lookup.value === null) return [];
  const children = Array.isArray(lookup.value) ? lookup.value : [lookup.value];
  const idField = config.idField ?? DEFAULT_ID_FIELD;
  const seen = new Set<string>();
  return children.map((child, index): IdentifiedItem => {
    const where = `${config.path}[${index}] of "${parentOriginId}"`;
    if (!isRecord(child))
      return { ok: false, index, originId: null, reason: `Sub-object ${where} is not an object` };
    const id = readOriginId(child, idField);
    if (!id.ok)
      return {
        ok: false,
        index,
        originId: null,
        reason: `Sub-object ${where} has no usable id: ${id.reason}`,
      };
    const originId = subObjectOriginId(parentOriginId, config.path, id.id);
    if (seen.has(originId)) {
      return {
        ok: false,
        index,
        originId,
        reason: `Sub-object ${where} repeats id "${id.id}"`,
        duplicate: true,
      };
    }
    seen.add(originId);
    return { ok: true, index, originId, object: child, parentOriginId };
  });
}
