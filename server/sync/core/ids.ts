// Origin ids (`sourceIdField`): read from each object by dot path and normalised to strings. An object
// without a usable id, or with an id already listed, becomes an invalid item; the rest carry on.
import { isRecord, lookupPath } from './paths';

export const DEFAULT_ID_FIELD = 'id';

// In u-mode, \p{Surrogate} matches only unpaired surrogates (a pair is one code point).
const LONE_SURROGATE = /\p{Surrogate}/u;

export type IdResult =
  { readonly ok: true; readonly id: string } | { readonly ok: false; readonly reason: string };

/** An object of a page with its origin id, or the reason it has none. `index` is its place in the page. */
export type IdentifiedItem =
  | {
      readonly ok: true;
      readonly index: number;
      readonly originId: string;
      readonly object: Record<string, unknown>;
      /** Set for sub-objects: the origin id of the object they were found in. */
      readonly parentOriginId?: string;
    }
  | {
      readonly ok: false;
      readonly index: number;
      readonly originId: string | null;
      readonly reason: string;
      /** A repeat of an id listed earlier: its contract belongs to the first occurrence and stays untouched. */
      readonly duplicate?: boolean;
    };

/**
 * Normalises an id value: strings as they are (but not blank), finite numbers and bigints as decimal
 * text, and an XML element with attributes by its `#text`. Anything else is not an id.
 */
export function normaliseId(value: unknown): IdResult {
  if (typeof value === 'string') {
    if (value.trim() === '') return { ok: false, reason: 'the id is empty' };
    // Neither can be stored and read back intact: the database driver fails on a lone surrogate and
    // cuts text at a NUL.
    if (value.includes('\u0000') || LONE_SURROGATE.test(value))
      return { ok: false, reason: 'the id holds a NUL character or a lone UTF-16 surrogate' };
    return { ok: true, id: value };
  }
  if (typeof value === 'number') {
    return Number.isFinite(value)
      ? { ok: true, id: String(value) }
      : { ok: false, reason: 'the id is not a number' };
  }
  if (typeof value === 'bigint') return { ok: true, id: value.toString() };
  if (isRecord(value) && typeof value['#text'] === 'string') return normaliseId(value['#text']);
  if (value === null) return { ok: false, reason: 'the id is null' };
  return { ok: false, reason: `the id is ${Array.isArray(value) ? 'a list' : `a ${typeof value}`}` };
}

export function readOriginId(object: unknown, idField: string = DEFAULT_ID_FIELD): IdResult {
  if (!isRecord(object)) return { ok: false, reason: 'it is not an object' };
  const lookup = lookupPath(object, idField);
  if (!lookup.found)
    return { ok: false, reason: `it has no "${idField}" field (the id field of the synchronisation)` };
  const id = normaliseId(lookup.value);
  return id.ok ? id : { ok: false, reason: `"${idField}": ${id.reason}` };
}

/**
 * Gives every object of a page its origin id. Ids in `alreadySeen` (listed on an earlier page of this
 * run) and repeats within the page are invalid: the first occurrence wins, as the source listed it first.
 * `page` names where an object without an id sits: "object 500" alone reads like the id 500.
 */
export function identifyObjects(
  objects: readonly unknown[],
  idField: string = DEFAULT_ID_FIELD,
  alreadySeen: ReadonlySet<string> = new Set(),
  page?: number,
): IdentifiedItem[] {
  const seenHere = new Set<string>();
  return objects.map((object, index): IdentifiedItem => {
    const id = readOriginId(object, idField);
    if (!id.ok)
      return {
        ok: false,
        index,
        originId: null,
        reason: `${where(index, page)} has no usable id: ${id.reason}`,
      };
    if (seenHere.has(id.id) || alreadySeen.has(id.id)) {
      return { ok: false, index, originId: id.id, reason: duplicateReason(id.id), duplicate: true };
    }
    seenHere.add(id.id);
    return { ok: true, index, originId: id.id, object: object as Record<string, unknown> };
  });
}

/** Marks items whose id an earlier page of this run already listed (known only after the contract lookup). */
export function markRepeats(
  items: readonly IdentifiedItem[],
  seenEarlier: ReadonlySet<string>,
): IdentifiedItem[] {
  return items.map((item) =>
    item.ok && seenEarlier.has(item.originId)
      ? {
          ok: false,
          index: item.index,
          originId: item.originId,
          reason: duplicateReason(item.originId),
          duplicate: true,
        }
      : item,
  );
}

/**
 * The origin ids a run marks as listed: every identified item, also an invalid one, except repeats —
 * a repeat's id belongs to its first occurrence, which was marked already.
 */
export function listedIds(items: readonly IdentifiedItem[]): string[] {
  return items.flatMap((item) =>
    item.ok ? [item.originId] : item.originId && !item.duplicate ? [item.originId] : [],
  );
}

/** Items whose id could not be read at all (not repeats): any of them may be an object missing from the listing. */
export function countUnidentified(items: readonly IdentifiedItem[]): number {
  let n = 0;
  for (const item of items) if (!item.ok && item.originId === null) n++;
  return n;
}

function where(index: number, page: number | undefined): string {
  return `The object at position ${index + 1}${page === undefined ? '' : ` on page ${page}`}`;
}

function duplicateReason(id: string): string {
  return `Duplicate id "${id}": an object with this id was already listed in this run`;
}
