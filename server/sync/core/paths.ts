// Dot paths into source objects (`data.items`, `lines[0].sku`, `@attributes.id`, `#text`) and
// setting values at dotted output keys, which builds nested objects.

/** One step of a path: a key (also used as an array index when it is all digits) or a bracket index. */
export type PathSegment = { readonly key: string } | { readonly index: number };

export type ParsedPath =
  | { readonly ok: true; readonly segments: readonly PathSegment[] }
  | { readonly ok: false; readonly reason: string };

// Writing these keys would reach the prototype of every object in the process.
const FORBIDDEN_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

const parsedCache = new Map<string, ParsedPath>();

/**
 * Parses `a.b[0].c`; a backslash makes the next character literal (`file\.name`, `Price \[EUR\]`).
 * Keys may hold spaces, `@` and `#` because CSV headers and XML-converted objects use them.
 */
export function parsePath(path: string): ParsedPath {
  const cached = parsedCache.get(path);
  if (cached) return cached;
  const parsed = parseUncached(path);
  if (parsedCache.size > 5_000) parsedCache.clear();
  parsedCache.set(path, parsed);
  return parsed;
}

function parseUncached(path: string): ParsedPath {
  if (path.trim() === '') return { ok: false, reason: 'The path is empty' };
  const segments: PathSegment[] = [];
  let key = '';
  let afterBracket = false;
  for (let i = 0; i < path.length; i++) {
    const char = path[i];
    if (char === '\\' && i + 1 < path.length) {
      key += path[i + 1];
      i++;
    } else if (char === '.') {
      if (key === '' && !afterBracket) return { ok: false, reason: `"${path}" has an empty segment` };
      if (key !== '') segments.push({ key });
      key = '';
      afterBracket = false;
    } else if (char === '[') {
      const close = path.indexOf(']', i);
      const inner = close === -1 ? '' : path.slice(i + 1, close);
      if (!/^\d+$/.test(inner)) return { ok: false, reason: `"${path}" has a bracket that is not [number]` };
      if (key !== '') segments.push({ key });
      segments.push({ index: Number(inner) });
      key = '';
      afterBracket = true;
      i = close;
    } else {
      if (afterBracket) return { ok: false, reason: `"${path}" needs a dot after "]"` };
      key += char;
    }
  }
  if (key === '' && !afterBracket) return { ok: false, reason: `"${path}" ends with an empty segment` };
  if (key !== '') segments.push({ key });
  const forbidden = segments.find((s) => 'key' in s && FORBIDDEN_KEYS.has(s.key));
  if (forbidden && 'key' in forbidden)
    return { ok: false, reason: `"${forbidden.key}" is not allowed in a path` };
  return { ok: true, segments };
}

export type PathLookup = { readonly found: true; readonly value: unknown } | { readonly found: false };

const NOT_FOUND: PathLookup = { found: false };

/** Looks a path up, telling a missing value apart from an explicit null. Only own properties count. */
export function lookupPath(root: unknown, path: string | readonly PathSegment[]): PathLookup {
  const segments = typeof path === 'string' ? parsePath(path) : { ok: true as const, segments: path };
  if (!segments.ok) return NOT_FOUND;
  let current: unknown = root;
  for (const segment of segments.segments) {
    if (current === null || typeof current !== 'object') return NOT_FOUND;
    if (Array.isArray(current)) {
      const index = 'index' in segment ? segment.index : /^\d+$/.test(segment.key) ? Number(segment.key) : -1;
      if (index < 0 || index >= current.length) return NOT_FOUND;
      current = current[index];
    } else {
      const key = 'index' in segment ? String(segment.index) : segment.key;
      if (!Object.hasOwn(current, key)) return NOT_FOUND;
      current = (current as Record<string, unknown>)[key];
    }
  }
  return { found: true, value: current };
}

/** The value at a path, or undefined when any step is missing. */
export function getPath(root: unknown, path: string | readonly PathSegment[]): unknown {
  const lookup = lookupPath(root, path);
  return lookup.found ? lookup.value : undefined;
}

export type SetResult = { readonly ok: true } | { readonly ok: false; readonly reason: string };

/**
 * Sets a value, creating objects for missing keys and arrays for missing bracket indices.
 * Refuses to walk through a value that is not a container rather than overwrite it.
 */
export function setPath(root: Record<string, unknown>, path: string, value: unknown): SetResult {
  const parsed = parsePath(path);
  if (!parsed.ok) return parsed;
  let current: unknown = root;
  const { segments } = parsed;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i] as PathSegment;
    const last = i === segments.length - 1;
    const container = current as Record<string | number, unknown>;
    const slot = 'index' in segment ? segment.index : segment.key;
    if (last) {
      container[slot] = value;
      return { ok: true };
    }
    let next = container[slot];
    if (next === undefined || next === null) {
      next = 'index' in (segments[i + 1] as PathSegment) ? [] : {};
      container[slot] = next;
    } else if (typeof next !== 'object') {
      const at = segments.slice(0, i + 1).map((s) => ('index' in s ? `[${s.index}]` : s.key));
      return { ok: false, reason: `"${at.join('.')}" already holds a value, so "${path}" cannot be set` };
    }
    current = next;
  }
  return { ok: true };
}

/** Removes the value at a path; missing paths are fine (there is nothing to remove). */
export function unsetPath(root: Record<string, unknown>, path: string): void {
  const parsed = parsePath(path);
  if (!parsed.ok || parsed.segments.length === 0) return;
  const parentSegments = parsed.segments.slice(0, -1);
  const last = parsed.segments[parsed.segments.length - 1] as PathSegment;
  const parent = parentSegments.length === 0 ? root : getPath(root, parentSegments);
  if (parent === null || typeof parent !== 'object') return;
  if (Array.isArray(parent)) {
    const index = 'index' in last ? last.index : Number(last.key);
    if (Number.isInteger(index) && index >= 0 && index < parent.length) parent.splice(index, 1);
    return;
  }
  const key = 'index' in last ? String(last.index) : last.key;
  if (Object.hasOwn(parent, key)) delete (parent as Record<string, unknown>)[key];
}

/** True for plain JSON-like objects (not arrays, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
