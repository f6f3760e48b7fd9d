// Issue 11's trap: two synchronisations that carry objects in opposite directions between the same two
// places — A → register schema S and S → A — each take the other's writes for new objects, so records
// double every round. Saving or enabling the second of such a pair is refused, naming the first, and
// Concord proposes the setup that does it safely: one two-way synchronisation (one contract per object).
// A register schema written from itself (S → S) loops the same way.
import { and, eq, ne } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { registers, schemas, sources, synchronisations, type SyncDirection } from '../db/schema';
import { UserError } from './errors';

/** A synchronisation as far as where it reads and writes goes. */
export interface SyncEnds {
  readonly id: string | null;
  readonly name: string;
  readonly direction: SyncDirection;
  /** The source's type and settings: a register source reads the schema its settings name. */
  readonly sourceId: string;
  readonly sourceType: string;
  readonly sourceConfig: unknown;
  readonly targetType: 'register' | 'source';
  readonly targetSchemaId: string | null;
  readonly targetSourceId: string | null;
}

/** A place objects are read from or written to: `schema:<id>` (a register schema) or `source:<id>`. */
type Place = string;
type Flow = readonly [from: Place, to: Place];

function from(sync: SyncEnds): Place {
  const schemaId = (sync.sourceConfig as { schemaId?: unknown } | null)?.schemaId;
  return sync.sourceType === 'register' && typeof schemaId === 'string'
    ? `schema:${schemaId}`
    : `source:${sync.sourceId}`;
}

const to = (sync: SyncEnds): Place =>
  sync.targetType === 'register' ? `schema:${sync.targetSchemaId}` : `source:${sync.targetSourceId}`;

/** The directions objects move in: one, or both for a two-way synchronisation. */
export function flowsOf(sync: SyncEnds): Flow[] {
  const flow: Flow = [from(sync), to(sync)];
  return sync.direction === 'two-way' ? [flow, [flow[1], flow[0]]] : [flow];
}

export type Loop =
  | { readonly kind: 'self'; readonly place: Place }
  | { readonly kind: 'opposite'; readonly other: SyncEnds; readonly flow: Flow };

/** The loop `candidate` would close with one of `others` (enabled synchronisations), if any. */
export function findLoop(candidate: SyncEnds, others: readonly SyncEnds[]): Loop | null {
  const flows = flowsOf(candidate);
  const self = flows.find(([a, b]) => a === b && a.startsWith('schema:'));
  if (self) return { kind: 'self', place: self[0] };
  for (const other of others) {
    if (other.id !== null && other.id === candidate.id) continue;
    for (const flow of flows) {
      const back = flowsOf(other).some(([a, b]) => a === flow[1] && b === flow[0]);
      if (back) return { kind: 'opposite', other, flow };
    }
  }
  return null;
}

const quoted = (name: string) => `“${name}”`;

/**
 * The refusal in words. `places`: how each place is named ("People API", "the schema Directory ›
 * Person"). The one-way synchronisation that reads the outside system into the register is the one to
 * make two-way; when neither end is outside (schema ⇄ schema), one direction has to go.
 */
export function loopMessage(candidate: SyncEnds, loop: Loop, places: (place: Place) => string): string {
  if (loop.kind === 'self') {
    return `This synchronisation reads ${places(loop.place)} and writes to it as well: every run would copy each object into it again. Choose another target.`;
  }
  const { other, flow } = loop;
  const [a, b] = flow;
  const twice = `together they would create each record again on the other side, duplicating records every round`;
  const copies = `${quoted(other.name)} already copies ${places(b)} to ${places(a)}`;
  if (other.direction === 'two-way') {
    return `${quoted(other.name)} already keeps ${places(a)} and ${places(b)} in step both ways: ${twice}. It does this synchronisation’s work already: use it, or disable it before enabling this one.`;
  }
  if (candidate.direction === 'two-way') {
    return `${copies}, and this two-way synchronisation copies them back: ${twice}. Delete or disable ${quoted(other.name)} first; this synchronisation does its work too, with one contract per object.`;
  }
  // The pull: from an outside system into the register.
  const pull = [candidate, other].find((s) => from(s).startsWith('source:') && to(s).startsWith('schema:'));
  if (!pull) {
    return `${copies}, and this synchronisation copies them back: ${twice}. Keep one direction only: disable or delete one of them.`;
  }
  const proposal =
    pull === candidate
      ? `Make ${quoted(candidate.name)} two-way instead (one synchronisation, one contract per object) and delete or disable ${quoted(other.name)}.`
      : `Make ${quoted(other.name)} two-way instead of adding this synchronisation: one synchronisation keeps both sides in step, with one contract per object.`;
  return `${copies}, and this synchronisation copies them back: ${twice}. ${proposal}`;
}

/** The enabled synchronisations of the organisation (but `exceptId`) with their source's type. */
async function enabledSyncs(db: Db | Tx, orgId: string, exceptId: string | null): Promise<SyncEnds[]> {
  return db
    .select({
      id: synchronisations.id,
      name: synchronisations.name,
      direction: synchronisations.direction,
      sourceId: synchronisations.sourceId,
      sourceType: sources.type,
      sourceConfig: sources.config,
      targetType: synchronisations.targetType,
      targetSchemaId: synchronisations.targetSchemaId,
      targetSourceId: synchronisations.targetSourceId,
    })
    .from(synchronisations)
    .innerJoin(sources, and(eq(sources.id, synchronisations.sourceId), eq(sources.orgId, orgId)))
    .where(
      and(
        eq(synchronisations.orgId, orgId),
        eq(synchronisations.enabled, true),
        ...(exceptId ? [ne(synchronisations.id, exceptId)] : []),
      ),
    );
}

/** "People API", or "the schema Directory › Person". */
async function placeName(db: Db | Tx, orgId: string, place: Place): Promise<string> {
  const [kind, id] = place.split(':') as [string, string];
  if (kind === 'source') {
    const [row] = await db
      .select({ name: sources.name })
      .from(sources)
      .where(and(eq(sources.orgId, orgId), eq(sources.id, id)));
    return quoted(row?.name ?? id);
  }
  const [row] = await db
    .select({ schema: schemas.name, register: registers.name })
    .from(schemas)
    .innerJoin(registers, and(eq(registers.id, schemas.registerId), eq(registers.orgId, orgId)))
    .where(and(eq(schemas.orgId, orgId), eq(schemas.id, id)));
  return row ? `the schema ${row.register} › ${row.schema}` : `the schema ${id}`;
}

/** The field a person would change to undo the loop: the target, or the direction. */
function fieldOf(candidate: SyncEnds): string {
  if (candidate.direction === 'two-way') return 'direction';
  return candidate.targetType === 'register' ? 'targetSchemaId' : 'targetSourceId';
}

/**
 * Refuses a synchronisation that would be enabled and close a loop with an enabled one (see above). A
 * disabled synchronisation is saved as it is: the check runs again when it is enabled.
 */
export async function checkNoLoop(
  db: Db | Tx,
  orgId: string,
  candidate: Omit<SyncEnds, 'sourceType' | 'sourceConfig'> & { enabled: boolean },
) {
  if (!candidate.enabled) return;
  const [source] = await db
    .select({ type: sources.type, config: sources.config })
    .from(sources)
    .where(and(eq(sources.orgId, orgId), eq(sources.id, candidate.sourceId)));
  if (!source) return;
  const ends: SyncEnds = { ...candidate, sourceType: source.type, sourceConfig: source.config };
  const loop = findLoop(ends, await enabledSyncs(db, orgId, candidate.id));
  if (!loop) return;
  const places = loop.kind === 'self' ? [loop.place] : [...loop.flow];
  const names = new Map(
    await Promise.all(places.map(async (p) => [p, await placeName(db, orgId, p)] as const)),
  );
  throw new UserError(
    'CONFLICT',
    loopMessage(ends, loop, (p) => names.get(p) ?? p),
    fieldOf(ends),
  );
}
