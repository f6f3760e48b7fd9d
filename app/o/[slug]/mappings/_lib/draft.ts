// The mapping form's state and its conversion to and from the configuration the API stores, plus
// how the API's problem keys (`mapping.name`, `cast.age`, `unset[0]`, `root`) find their form row.
import { mappingConfigSchema, type MappingProblem } from '@/server/sync/core/mapping/config';

export interface KeyRow {
  id: number;
  key: string;
  value: string;
}
export interface CastRow {
  id: number;
  key: string;
  cast: string;
}
export interface UnsetRow {
  id: number;
  path: string;
}
export interface Draft {
  rows: KeyRow[];
  casts: CastRow[];
  unset: UnsetRow[];
  passThrough: boolean;
  root: string;
}
export type Problem = MappingProblem;

let lastId = 0;
export const nextId = () => ++lastId;

export const emptyDraft = (): Draft => ({
  rows: [{ id: nextId(), key: '', value: '' }],
  casts: [],
  unset: [],
  passThrough: false,
  root: '',
});

/** The form for a stored or typed configuration; null when its shape is not a mapping. */
export function draftFromConfig(config: unknown): Draft | null {
  const parsed = mappingConfigSchema.safeParse(config ?? {});
  if (!parsed.success) return null;
  const c = parsed.data;
  const rows = Object.entries(c.mapping).map(([key, value]) => ({ id: nextId(), key, value }));
  return {
    rows: rows.length ? rows : [{ id: nextId(), key: '', value: '' }],
    casts: Object.entries(c.cast).flatMap(([key, spec]) =>
      (Array.isArray(spec) ? spec : [spec]).map((cast) => ({ id: nextId(), key, cast })),
    ),
    unset: c.unset.map((path) => ({ id: nextId(), path })),
    passThrough: c.passThrough,
    root: c.root ?? '',
  };
}

/** The configuration the form describes. Empty rows are left out; casts of one key keep their order. */
export function configFromDraft(draft: Draft) {
  const mapping: Record<string, string> = {};
  for (const row of draft.rows) if (row.key.trim()) mapping[row.key.trim()] = row.value;
  const cast: Record<string, string | string[]> = {};
  for (const row of draft.casts) {
    const key = row.key.trim();
    if (!key || !row.cast.trim()) continue;
    const before = cast[key];
    cast[key] = before === undefined ? row.cast.trim() : [...[before].flat(), row.cast.trim()];
  }
  const unset = draft.unset.map((u) => u.path.trim()).filter(Boolean);
  const root = draft.root.trim();
  return { mapping, unset, cast, passThrough: draft.passThrough, ...(root ? { root } : {}) };
}

/** Mistakes the form can see before the server does: a value without a key, a key used twice. */
export function formProblems(draft: Draft): Map<number, string> {
  const found = new Map<number, string>();
  const seen = new Set<string>();
  for (const row of [...draft.rows].reverse()) {
    const key = row.key.trim();
    if (!key && row.value) found.set(row.id, 'Give this value an output key');
    else if (key && seen.has(key)) found.set(row.id, `“${key}” is mapped again below; that one wins`);
    seen.add(key);
  }
  return found;
}

// Exact, or one list item below it (`cast.tags.1` for the second cast of `tags`).
const matches = (problemKey: string, key: string) =>
  problemKey === key ||
  (problemKey.startsWith(key) && /^(\.\d+|\[\d+\])$/.test(problemKey.slice(key.length)));

/** The problems that belong beside one form row, by the API's key for it. */
export function problemsAt(problems: readonly Problem[], key: string): Problem[] {
  return problems.filter((p) => matches(p.key, key));
}

/** The API's key for each row: `mapping.<key>`, `cast.<key>`, `unset[<index among filled rows>]`. */
export function unsetKeys(draft: Draft): Map<number, string[]> {
  const keys = new Map<number, string[]>();
  let index = 0;
  for (const row of draft.unset) {
    if (!row.path.trim()) continue;
    keys.set(row.id, [`unset[${index}]`, `unset.${index}`]);
    index++;
  }
  return keys;
}
