// Finds the list of objects inside a response body (`resultsPosition`). A missing or unusable list
// is an error value, never an empty list: an empty list would make every contract look vanished.
// Except in XML, which has no empty list: a page without objects is their container with nothing in
// it (`<catalog page="3"/>`), read as an empty page as `[]` is in JSON. A container holding other
// elements still fails: the position may be wrong, or the page is an error document.
import { isRecord, lookupPath, parsePath } from './paths';

/** `_root`, `_object`, a dot path, or undefined/'' for auto-detection. */
export type ResultsPosition = string | null | undefined;

export const ROOT_POSITION = '_root';
export const OBJECT_POSITION = '_object';

/** Keys that usually hold the list, in the order they are tried. */
export const AUTO_RESULT_KEYS = [
  'items',
  'results',
  'result',
  'data',
  'records',
  'value',
  'entries',
  'objects',
  'rows',
  'elements',
  'list',
  'hits.hits',
  'hits',
  'content',
] as const;

export type ResultsProblem = 'empty-body' | 'not-structured' | 'missing-path' | 'not-a-list' | 'not-found';

export type ExtractedObjects =
  | { readonly ok: true; readonly objects: readonly unknown[]; readonly position: string }
  | { readonly ok: false; readonly problem: ResultsProblem; readonly reason: string };

export function isEmptyBody(body: unknown): boolean {
  return body === undefined || body === null || (typeof body === 'string' && body.trim() === '');
}

export interface ExtractOptions {
  /** The body was XML converted to objects (formats/xml.ts). */
  readonly xml?: boolean;
}

export function extractObjects(
  body: unknown,
  position: ResultsPosition,
  options: ExtractOptions = {},
): ExtractedObjects {
  if (isEmptyBody(body)) return fail('empty-body', 'The response body was empty');
  if (body === null || typeof body !== 'object') {
    const start = String(body).trim().slice(0, 40);
    return fail('not-structured', `The response is not JSON or XML (it starts with "${start}")`);
  }
  const configured = position?.trim() ?? '';
  if (configured === ROOT_POSITION) {
    return { ok: true, objects: Array.isArray(body) ? body : [body], position: ROOT_POSITION };
  }
  if (configured === OBJECT_POSITION) {
    if (!isRecord(body))
      return fail(
        'not-a-list',
        'The results position is _object (one object), but the response is a list: set it to _root or leave it empty',
      );
    return { ok: true, objects: [body], position: OBJECT_POSITION };
  }
  if (configured !== '') return atPath(body, configured, options);
  return autoDetect(body);
}

function atPath(body: object, path: string, options: ExtractOptions): ExtractedObjects {
  const lookup = lookupPath(body, path);
  if (!lookup.found && options.xml && inEmptyXmlElement(body, path)) {
    return { ok: true, objects: [], position: path };
  }
  if (!lookup.found) {
    const keys = isRecord(body) ? Object.keys(body).slice(0, 10).join(', ') : 'a list';
    return fail(
      'missing-path',
      `The response has no "${path}" (the results position); it has: ${keys || 'nothing'}. Set the results position to one of those paths, or leave it empty to detect it`,
    );
  }
  const value = lookup.value;
  if (Array.isArray(value)) return { ok: true, objects: value, position: path };
  // XML turns a repeated element that occurs once into a single object rather than a list.
  if (isRecord(value)) return { ok: true, objects: [value], position: path };
  return fail('not-a-list', `"${path}" in the response is ${describe(value)}, not a list of objects`);
}

/**
 * Whether the element that would hold the objects at `path` is there with nothing in it: no child
 * element, no text, at most attributes. The document itself does not count (`path` must name an
 * element inside the root element), so an XML answer of another shape is never read as empty.
 */
function inEmptyXmlElement(body: object, path: string): boolean {
  const parsed = parsePath(path);
  if (!parsed.ok || parsed.segments.length < 2) return false;
  const parent = lookupPath(body, parsed.segments.slice(0, -1));
  if (!parent.found) return false;
  const value = parent.value;
  if (value === '') return true;
  // formats/xml.ts puts an element's attributes under this key (ATTRIBUTES_KEY there).
  return isRecord(value) && Object.keys(value).every((key) => key === '@attributes');
}

function autoDetect(body: object): ExtractedObjects {
  if (Array.isArray(body)) return { ok: true, objects: body, position: ROOT_POSITION };
  for (const key of AUTO_RESULT_KEYS) {
    const lookup = lookupPath(body, key);
    if (lookup.found && Array.isArray(lookup.value))
      return { ok: true, objects: lookup.value, position: key };
  }
  // HAL puts the list one level down under a name of the API's choosing: `_embedded.<things>`.
  const embedded = (body as Record<string, unknown>)['_embedded'];
  if (isRecord(embedded)) {
    const lists = Object.entries(embedded).filter(([, value]) => Array.isArray(value));
    if (lists.length === 1) {
      const [name, list] = lists[0] as [string, unknown[]];
      return { ok: true, objects: list, position: `_embedded.${name}` };
    }
  }
  const keys = Object.keys(body).slice(0, 10).join(', ');
  return fail(
    'not-found',
    `Could not find the list of objects in the response (keys: ${keys || 'none'}). ` +
      'Set the results position to its path (such as data.items), or to _root or _object.',
  );
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return `the text "${value.slice(0, 40)}"`;
  return `a ${typeof value}`;
}

function fail(problem: ResultsProblem, reason: string): ExtractedObjects {
  return { ok: false, problem, reason };
}
