// A synchronisation's contracts are keyed by origin id: the value of its id field in each source object
// (`sourceConfig.sourceIdField`; an SQL source's key column only pages, the id field still names each
// row). Saved with another id field, the next run saw every object under a new id: it created each one
// again in the target and found every old contract "gone from the source" — deletions held or carried
// out. So the save that changes the id field re-keys the contracts, in its own transaction, from the
// source objects they kept (stores/rekey-contracts.ts), and refuses — changing nothing — when any
// contract cannot be re-keyed, naming a few and saying why.
//
// Every contract is re-keyed or none, a deleted one's too: its kept object is what the object looked
// like when it was last listed, and a deleted contract left under its old id could later match another
// object that happens to carry that id under the new field, linking it to a deleted object's target.
// What else names contracts by origin id moves or is checked here: conflicts move with them; a run
// under way (its ledger of listed ids, its page memos, its create intents) or a create at a target not
// yet settled refuses the change until it ends; selected ids and the ids deletions are restricted to
// are renamed where a contract had them. Page memos and the incremental cursor need nothing: the edit
// moves `updatedAt` (sync-config-edits.ts), after which a run reads and checks everything again.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { contractCounts, createIntents, runs, sources, synchronisations } from '../db/schema';
import { csvIdField } from '../sync/config/csv-id';
import { syncSourceConfigSchema } from '../sync/config/sync-config';
import { DEFAULT_ID_FIELD } from '../sync/core/ids';
import { rekeyContracts, type RekeyProblem } from '../sync/stores/rekey-contracts';
import { UserError } from './errors';

type Row = typeof synchronisations.$inferSelect;

/** The id field a saved synchronisation's settings name (as a run reads them: the default when left out). */
export function idFieldOf(sourceConfig: unknown): string {
  const parsed = syncSourceConfigSchema.safeParse(sourceConfig ?? {});
  if (parsed.success) return parsed.data.sourceIdField;
  const field = (sourceConfig as { sourceIdField?: unknown } | null)?.sourceIdField;
  return typeof field === 'string' && field.trim() !== '' ? field.trim() : DEFAULT_ID_FIELD;
}

/** How many contracts the synchronisation keeps, deleted ones included (the counts triggers keep exact). */
export async function contractsKept(db: Db | Tx, orgId: string, syncId: string): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`coalesce(sum(${contractCounts.n}), 0)`.mapWith(Number) })
    .from(contractCounts)
    .where(and(eq(contractCounts.orgId, orgId), eq(contractCounts.synchronisationId, syncId)));
  return row?.n ?? 0;
}

interface Next {
  sourceId: string;
  sourceConfig: Record<string, unknown>;
  restrictDeletion: string[] | null;
}

/** Where a person named the id: a synchronisation's id field, or a CSV source's id column. */
interface Naming {
  readonly field: string;
  readonly what: string;
  /** A source's save re-keys each of its synchronisations: the one refused is named. */
  readonly sync?: string;
}

const SYNC_FIELD: Naming = { field: 'sourceConfig.sourceIdField', what: 'id field' };

/**
 * Re-keys the contracts of `current` when `next` reads another id field from the same source, inside
 * the save's transaction; returns `next` with its selected ids and restricted deletions renamed as the
 * contracts were. Another source is another set of objects: nothing to re-key from.
 */
export async function rekeyOnSave<T extends Next>(tx: Tx, orgId: string, current: Row, next: T): Promise<T> {
  if (next.sourceId !== current.sourceId) return next;
  const subs = subIdFieldChanges(current.sourceConfig, next.sourceConfig);
  // A CSV source's id column is what its runs read, whatever the saved settings still say (csv-id.ts).
  const [source] = await tx
    .select({ type: sources.type, config: sources.config })
    .from(sources)
    .where(and(eq(sources.orgId, orgId), eq(sources.id, current.sourceId)));
  const from = (source && csvIdField(source)) ?? idFieldOf(current.sourceConfig);
  return rekeySync(tx, orgId, current, from, next, SYNC_FIELD, subs);
}

/** Nested objects whose own id field changed (same path): the new field by path, and the first of them. */
interface SubChanges {
  readonly fields: ReadonlyMap<string, string>;
  readonly first: {
    readonly index: number;
    readonly path: string;
    readonly from: string;
    readonly to: string;
  };
}

const subObjectsOf = (sourceConfig: unknown) => {
  const parsed = syncSourceConfigSchema.safeParse(sourceConfig ?? {});
  return parsed.success ? parsed.data.subObjects : [];
};

function subIdFieldChanges(before: unknown, after: unknown): SubChanges | null {
  const saved = new Map(subObjectsOf(before).map((sub) => [sub.path, sub.idField]));
  const fields = new Map<string, string>();
  let first: SubChanges['first'] | null = null;
  subObjectsOf(after).forEach((sub, index) => {
    const from = saved.get(sub.path);
    if (from === undefined || from === sub.idField) return;
    fields.set(sub.path, sub.idField);
    first ??= { index, path: sub.path, from, to: sub.idField };
  });
  return first ? { fields, first } : null;
}

/**
 * A CSV source's id column is every one of its synchronisations' id field (config/csv-id.ts): a source
 * saved with another one re-keys each synchronisation's contracts, in the source's save transaction.
 */
export async function rekeyForIdColumn(
  tx: Tx,
  orgId: string,
  sourceId: string,
  before: { type: string; config: unknown },
  after: { type: string; config: unknown },
): Promise<void> {
  const from = csvIdField(before);
  const to = csvIdField(after);
  if (from === to) return;
  const rows = await tx
    .select()
    .from(synchronisations)
    .where(and(eq(synchronisations.orgId, orgId), eq(synchronisations.sourceId, sourceId)));
  for (const row of rows) {
    const next = { ...row, sourceConfig: { ...row.sourceConfig } };
    const own = idFieldOf(row.sourceConfig);
    next.sourceConfig.sourceIdField = to ?? own;
    const naming = { field: 'config.csv.idColumn', what: 'id column', sync: row.name } as const;
    const renamed = await rekeySync(tx, orgId, row, from ?? own, next, naming);
    if (renamed === next) continue;
    // Saved as its id field too, as a save of the synchronisation would (sync-source-config.ts).
    await tx
      .update(synchronisations)
      .set({ sourceConfig: renamed.sourceConfig, restrictDeletion: renamed.restrictDeletion })
      .where(and(eq(synchronisations.orgId, orgId), eq(synchronisations.id, row.id)));
  }
}

/** Re-keys one synchronisation's contracts from the id field `from` to the one `next` reads. */
async function rekeySync<T extends Next>(
  tx: Tx,
  orgId: string,
  current: Row,
  from: string,
  next: T,
  topNaming: Naming,
  subs: SubChanges | null = null,
): Promise<T> {
  const to = idFieldOf(next.sourceConfig);
  if ((from === to && subs === null) || current.seq === null) return next;
  const kept = await contractsKept(tx, orgId, current.id);
  if (kept === 0) return next;
  // Named in what it says: the id field, or else the nested objects' that changed.
  const sub = from === to ? subs?.first : undefined;
  const naming: Naming = sub
    ? {
        ...topNaming,
        field: `sourceConfig.subObjects.${sub.index}.idField`,
        what: `id field of the nested objects at "${sub.path}"`,
      }
    : topNaming;
  const [said, saidTo] = sub ? [sub.from, sub.to] : [from, to];
  await checkNothingUnderWay(tx, orgId, current.id, changing(naming, said, saidTo), naming.field);
  const selected = Array.isArray(next.sourceConfig.selectedIds)
    ? (next.sourceConfig.selectedIds as string[])
    : [];
  const restricted = next.restrictDeletion ?? [];
  const result = await rekeyContracts(
    tx,
    { seq: current.seq, id: current.id, orgId },
    to,
    new Set([...selected, ...restricted]),
    subs?.fields,
  );
  if (!result.ok) throw refusal(kept, naming, changing(naming, said, saidTo), saidTo, result.problems);
  const rename = (ids: string[]) => ids.map((id) => result.renamed.get(id) ?? id);
  return {
    ...next,
    sourceConfig:
      selected.length > 0 ? { ...next.sourceConfig, selectedIds: rename(selected) } : next.sourceConfig,
    restrictDeletion: next.restrictDeletion && rename(next.restrictDeletion),
  };
}

/**
 * A run under way lists and writes by the old ids (its ledger, its memos); a create a target took
 * without its contract being written yet (a create intent) is found again by the old id. Both settle
 * when the run ends, or with the next run.
 */
async function checkNothingUnderWay(tx: Tx, orgId: string, syncId: string, change: string, field: string) {
  const [active] = await tx
    .select({ id: runs.id })
    .from(runs)
    .where(
      and(
        eq(runs.orgId, orgId),
        eq(runs.synchronisationId, syncId),
        // runs.ts ACTIVE_RUN_STATUSES (runs.ts imports this module's importer).
        inArray(runs.status, ['queued', 'running']),
      ),
    )
    .limit(1);
  const [intent] = active
    ? []
    : await tx
        .select({ originId: createIntents.originId })
        .from(createIntents)
        .where(and(eq(createIntents.orgId, orgId), eq(createIntents.synchronisationId, syncId)))
        .limit(1);
  if (!active && !intent) return;
  throw new UserError(
    'BAD_REQUEST',
    `${change} re-keys the contracts, which cannot happen while ` +
      (active
        ? 'a run of it is queued or running: wait until it ends (or cancel it), then save again.'
        : 'a create its last run sent to the target is not yet settled: run it once more, then save again.'),
    field,
  );
}

const changing = (naming: Naming, from: string, to: string) =>
  `Changing the ${naming.what} from "${from}" to "${to}"${naming.sync === undefined ? '' : ` (synchronisation "${naming.sync}")`}`;

function refusal(
  kept: number,
  naming: Naming,
  change: string,
  to: string,
  problems: readonly RekeyProblem[],
): UserError {
  const examples = problems.map((p) => `the contract of "${p.originId}": ${p.reason}`).join('; ');
  const whose = naming.sync === undefined ? "this synchronisation's" : 'its';
  return new UserError(
    'BAD_REQUEST',
    `${change} re-keys ${whose} ${kept} contract${kept === 1 ? '' : 's'} from the source objects ` +
      `Concord kept, and not every one can be: ${examples}. Nothing was saved. Give every object a ` +
      `unique "${to}" at the source and run the synchronisation once, or choose another ${naming.what}. ` +
      `To start over instead, create a new synchronisation with this ${naming.what}: deleting this one ` +
      'removes its contracts and leaves what it wrote in the target, where the new one writes every ' +
      'object again.',
    naming.field,
  );
}
