// The three-way diff of a conflict — the object as last synced (base), the source's version through the
// mapping and the register's version, field by field — and the object a person's picks make of them.
// All three are in the register's shape. Arrays are compared whole: an element has no identity of its
// own to merge by.
import { canonicalJson } from '../canonical-json';

export type ConflictSide = 'source' | 'target';
export type ChangedIn = 'none' | 'source' | 'target' | 'both';

/** An object's version, or null when that side deleted it (all its fields are then missing). */
export type Version = Readonly<Record<string, unknown>> | null;

/** One leaf field. A value is `undefined` when the field is missing on that side (null is a value). */
export interface DiffRow {
  readonly path: string;
  readonly base: unknown;
  readonly source: unknown;
  readonly target: unknown;
  readonly changedIn: ChangedIn;
  /** Both sides changed it, into different values: a person has to pick one. */
  readonly conflicting: boolean;
  /**
   * The field that identifies the object (its id or key field): each system's own, so never a conflict
   * to pick. Unless a pick says otherwise, the merge keeps the register's value.
   */
  readonly key: boolean;
}

/** Field picks by dot path; a path left out takes the side that changed it, else the target's. */
export type FieldPicks = Readonly<Record<string, ConflictSide>>;

const MISSING = Symbol('missing');
type Slot = unknown; // a value, or MISSING

interface Leaf {
  readonly keys: readonly string[];
  readonly values: readonly [base: Slot, source: Slot, target: Slot];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

// The path syntax of core/paths.ts: a backslash makes the next character literal.
const escapeKey = (key: string) => key.replace(/[\\.[]/g, (c) => `\\${c}`);
const pathOf = (keys: readonly string[]) => keys.map(escapeKey).join('.');

/**
 * The leaves of the three versions together, so each side is cut at the same paths: a key is descended
 * into only when every side that has it holds an object there (one side's `address: null` against the
 * other's `address: { city }` is one field, `address`, not a field and a half). The register's key
 * order comes first, then keys only the source or the base has.
 */
function leavesOf(nodes: readonly [Slot, Slot, Slot], keys: readonly string[], out: Leaf[]): Leaf[] {
  const order = new Set<string>();
  for (const node of [nodes[2], nodes[1], nodes[0]]) {
    if (isRecord(node)) for (const key of Object.keys(node)) order.add(key);
  }
  for (const key of order) {
    const values = nodes.map((node) =>
      isRecord(node) && Object.hasOwn(node, key) ? node[key] : MISSING,
    ) as unknown as [Slot, Slot, Slot];
    const present = values.filter((v) => v !== MISSING);
    const descend = present.every(isRecord) && present.some((v) => Object.keys(v).length > 0);
    if (descend) leavesOf(values, [...keys, key], out);
    else out.push({ keys: [...keys, key], values });
  }
  return out;
}

function leaves(base: Version, source: Version, target: Version): Leaf[] {
  const root = (v: Version): Slot => v ?? MISSING;
  return leavesOf([root(base), root(source), root(target)], [], []);
}

const same = (a: Slot, b: Slot) =>
  a === MISSING || b === MISSING ? a === b : canonicalJson(a) === canonicalJson(b);

const shown = (value: Slot) => (value === MISSING ? undefined : value);

function rowOf(leaf: Leaf, keys: readonly string[]): DiffRow {
  const [base, source, target] = leaf.values;
  const sourceChanged = !same(base, source);
  const targetChanged = !same(base, target);
  const changedIn: ChangedIn =
    sourceChanged && targetChanged ? 'both' : sourceChanged ? 'source' : targetChanged ? 'target' : 'none';
  const path = pathOf(leaf.keys);
  const key = keys.includes(path);
  return {
    path,
    base: shown(base),
    source: shown(source),
    target: shown(target),
    changedIn,
    // Identical edits on both sides are not a conflict, nor are two systems' own ids.
    conflicting: !key && changedIn === 'both' && !same(source, target),
    key,
  };
}

/**
 * Every leaf field of the three versions, with the side(s) that changed it since the base. `keys`: the
 * paths of the fields that identify the object (conflictKeyFields), marked `key`.
 */
export function threeWayDiff(
  base: Version,
  sourceMapped: Version,
  target: Version,
  keys: readonly string[] = [],
): DiffRow[] {
  return leaves(base, sourceMapped, target).map((leaf) => rowOf(leaf, keys));
}

/**
 * The side a field takes when the person did not pick one: the side that changed it, else the target
 * (always the target for a key field: the register keeps its own id).
 */
export function defaultSide(row: Pick<DiffRow, 'changedIn' | 'key'>): ConflictSide {
  return row.changedIn === 'source' && !row.key ? 'source' : 'target';
}

/**
 * The fields of a conflict's diff that identify the object rather than describe it: `id` (a register
 * object's own id field, as sources/register.ts reads it) and the field the source's objects are
 * identified by (the synchronisation's id field, the SQL key column).
 */
export function conflictKeyFields(sourceIdField: string | null | undefined): string[] {
  return [...new Set(['id', ...(sourceIdField ? [sourceIdField] : [])])];
}

/** Picks that name no field of the diff (a person can only pick what the table shows). */
export function unknownPicks(rows: readonly DiffRow[], picks: FieldPicks): string[] {
  const paths = new Set(rows.map((r) => r.path));
  return Object.keys(picks).filter((path) => !paths.has(path));
}

/** Conflicting fields left without a pick. */
export function unpickedConflicts(rows: readonly DiffRow[], picks: FieldPicks): string[] {
  return rows.filter((r) => r.conflicting && !Object.hasOwn(picks, r.path)).map((r) => r.path);
}

// A key named __proto__ stays a plain key of the merged object, never its prototype.
function assign(target: Record<string, unknown>, key: string, value: unknown) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * The object in the register's shape that a per-field resolution writes to both sides: each field from
 * the side picked for it (a field missing on that side is left out). Paths are cut as in the diff, so
 * a parent is always an object here.
 */
export function mergeResolution(
  base: Version,
  sourceMapped: Version,
  target: Version,
  picks: FieldPicks,
  keys: readonly string[] = [],
): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const leaf of leaves(base, sourceMapped, target)) {
    const row = rowOf(leaf, keys);
    const side = Object.hasOwn(picks, row.path) ? picks[row.path]! : defaultSide(row);
    const value = side === 'source' ? leaf.values[1] : leaf.values[2];
    if (value === MISSING) continue;
    let node = merged;
    for (const key of leaf.keys.slice(0, -1)) {
      if (!isRecord(node[key]) || !Object.hasOwn(node, key)) assign(node, key, {});
      node = node[key] as Record<string, unknown>;
    }
    assign(node, leaf.keys[leaf.keys.length - 1]!, value);
  }
  return merged;
}
