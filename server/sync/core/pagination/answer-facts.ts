// What the listing reads of a page's answer besides its objects (AnswerFacts), kept with the page's memo
// so that the same answer read again need not be parsed at all (issue 14: parsing a page was half of
// what reading it cost). Sound because everything the listing reads of a body goes through
// lookupPath, and a path without a numeric segment never looks inside an array: only at it, where an
// empty list and the page's list of objects answer alike (not a link, not a count, found). So the
// body with its list emptied — the skeleton — answers every such lookup as the body does. A body whose
// objects are not a list in it (one object, `_object`), or a configured path with a numeric segment,
// gets no facts, and its page is parsed every time.
import { sha256Hex } from '../canonical-json';
import { isRecord, parsePath, type PathSegment } from '../paths';
import { ROOT_POSITION } from '../results-position';
import type { PaginationConfig } from './config';
import type { AnswerFacts } from './types';

/**
 * What tells a page repeated by a server that ignores the page parameter: its length and its first and
 * last objects (plain JSON is enough: a repeated page is repeated byte for byte). Two different pages
 * that share both ends overlap entirely, which no working listing does. Cheaper than hashing the whole
 * page, and it runs between receiving a page and asking for the next one (read-ahead, see sources/).
 */
export function pageFingerprint(objects: readonly unknown[]): string {
  if (objects.length === 0) return sha256Hex('0');
  const ends = `${JSON.stringify(objects[0])}\n${JSON.stringify(objects[objects.length - 1])}`;
  return sha256Hex(`${objects.length}\n${ends}`);
}

/**
 * The facts of a page's answer, or null when its skeleton could answer a lookup differently from the
 * body: the objects were not taken as a list found in the body at `position`, or a configured path
 * could index into a list.
 */
export function answerFacts(
  body: unknown,
  objects: readonly unknown[],
  position: string,
  pagination: PaginationConfig,
  fingerprint: string,
): AnswerFacts | null {
  if (configuredPaths(pagination).some(indexesIntoLists)) return null;
  const skeleton = withoutObjects(body, objects, position);
  return skeleton === null ? null : { skeleton: skeleton.value, count: objects.length, fingerprint };
}

/** The body with the list at `position` (which must be `objects` itself) replaced by an empty list. */
function withoutObjects(
  body: unknown,
  objects: readonly unknown[],
  position: string,
): { value: unknown } | null {
  if (position === ROOT_POSITION) return body === objects ? { value: [] } : null;
  const path = parsePath(position);
  if (!path.ok || !path.segments.every(isKey)) return null;
  const keys = path.segments.map((segment) => (segment as { key: string }).key);
  return emptied(body, keys, objects);
}

function emptied(
  node: unknown,
  keys: readonly string[],
  objects: readonly unknown[],
): { value: unknown } | null {
  if (keys.length === 0) return node === objects ? { value: [] } : null;
  if (!isRecord(node)) return null;
  const [key, ...rest] = keys as [string, ...string[]];
  if (!Object.hasOwn(node, key)) return null;
  const inner = emptied(node[key], rest, objects);
  return inner === null ? null : { value: { ...node, [key]: inner.value } };
}

function isKey(segment: PathSegment): boolean {
  return 'key' in segment && !/^\d+$/.test(segment.key);
}

/** The paths a configuration makes the listing read of a body (the automatic ones hold no index). */
function configuredPaths(pagination: PaginationConfig): string[] {
  switch (pagination.kind) {
    case 'next-link':
      return pagination.path ? [pagination.path] : [];
    case 'page-number':
      return [pagination.totalPath, pagination.totalPagesPath].filter((p): p is string => Boolean(p));
    case 'offset':
      return pagination.totalPath ? [pagination.totalPath] : [];
    case 'cursor':
      return [pagination.tokenPath];
    default:
      return [];
  }
}

function indexesIntoLists(path: string): boolean {
  const parsed = parsePath(path);
  // A path that does not parse finds nothing in either.
  return parsed.ok && !parsed.segments.every(isKey);
}
