// A two-way REST write-back whose update replaces the source's object (PUT, or POST, the default) must
// send the whole object: the fields the synchronisation never carries — a phone the register does not
// hold, the `zip` beside a mapped `address.city` — are sent as the source holds them, or the update would
// erase them there. A field the synchronisation carries is the register's to decide: left out of the
// register's version, it is left out (removed) at the source too. An SQL write-back writes only its
// columns, and a PATCH (or sendChangedFields' merge patch) only what it names: those keep the rest — but
// an SQL column the synchronisation carries whose field the register removed is emptied (sqlEmptied),
// or the row would keep the value, and the next listing bring it back to the register and the hub.
import type { ResolvedWriteBack } from '../config/write-back';
import type { CompiledMapping } from '../core/mapping';
import { isRecord, unsetPath } from '../core/paths';

/**
 * The source paths a replacing write-back carries (null: nothing to keep, the write keeps the rest), and
 * those it never sends: the write-back mapping's `unset` — the way to leave out fields of the listing
 * the source refuses to be sent (read-only ones, links).
 */
export type SourceOwnFields = {
  readonly carried: readonly string[];
  readonly dropped: readonly string[];
} | null;

/**
 * `reverse`: the write-back mapping (its keys are what it writes); without one the register's version is
 * written as it is, and the fields it carries are those the inbound mapping (`inbound`) puts in the
 * register. A mapping that starts from a whole object (passThrough, `#`) carries every field.
 */
export function sourceOwnFieldsOf(
  writeBack: ResolvedWriteBack,
  reverse: CompiledMapping | null,
  inbound: CompiledMapping | null,
): SourceOwnFields {
  if (writeBack.kind !== 'rest') return null;
  const { config } = writeBack;
  const method = config.batch?.updateEndpoint !== undefined ? config.batch.updateMethod : config.updateMethod;
  if (method === 'PATCH' || config.sendChangedFields) return null;
  const carries = reverse ?? inbound;
  if (!carries || carries.config.passThrough || carries.base) return null;
  return { carried: carries.entries.map((entry) => entry.key), dropped: reverse?.unset ?? [] };
}

/**
 * The columns an SQL write-back carries (null: not an SQL write-back): every one the source lists when
 * no mapping picks fields (none, or one starting from the whole object), else the top-level fields of
 * the write-back mapping's keys, or without one the inbound mapping's.
 */
export function sqlCarriedOf(
  writeBack: ResolvedWriteBack,
  reverse: CompiledMapping | null,
  inbound: CompiledMapping | null,
): SqlCarried {
  if (writeBack.kind !== 'sql') return null;
  const carries = reverse ?? inbound;
  if (!carries || carries.config.passThrough || carries.base) return 'all';
  return carries.entries.map((entry) => entry.key.split('.')[0]!);
}

export type SqlCarried = 'all' | readonly string[] | null;

/**
 * The carried columns the source's row holds, for the SQL target to empty those the object written no
 * longer has (`TargetUpdate.sentBefore`, targets/sql-rows.ts: never a key or a computed column).
 */
export function sqlEmptied(
  source: Record<string, unknown> | null,
  carried: SqlCarried,
): { sentBefore?: Record<string, unknown> } {
  if (!source || !carried) return {};
  if (carried === 'all') return { sentBefore: source };
  return { sentBefore: Object.fromEntries(Object.entries(source).filter(([key]) => carried.includes(key))) };
}

/** The source's object with what the write-back writes laid over it (nested objects merged). */
export function withSourceOwnFields(
  object: Record<string, unknown>,
  source: Record<string, unknown>,
  own: SourceOwnFields,
): Record<string, unknown> {
  if (!own) return object;
  const whole = structuredClone(source);
  for (const path of own.carried) unsetPath(whole, path);
  const sent = layOver(whole, object);
  for (const path of own.dropped) unsetPath(sent, path);
  return sent;
}

function layOver(into: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(over)) {
    const held = into[key];
    into[key] = isRecord(value) && isRecord(held) ? layOver(held, value) : structuredClone(value);
  }
  return into;
}
