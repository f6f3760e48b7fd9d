// Duplicates by accident: two synchronisations that write into the same register schema each create
// their own register object for every object they read, so records both sources hold are there twice.
// That can be on purpose (two sources with different records), so saving is not refused: the save
// answers a warning that names the other synchronisations and proposes what to do, and the
// synchronisation's page keeps showing it. Each register object shows where it came from.
import { and, asc, eq, ne } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { registers, schemas, synchronisations } from '../db/schema';

export interface SaveWarning {
  /** The form field the warning is about. */
  readonly field: string;
  readonly message: string;
  /** The synchronisations it names. */
  readonly others: readonly { readonly id: string; readonly name: string }[];
}

/** The other enabled synchronisations writing into this register schema (pull or two-way). */
export async function schemaWriters(db: Db | Tx, orgId: string, schemaId: string, exceptId: string | null) {
  return db
    .select({ id: synchronisations.id, name: synchronisations.name })
    .from(synchronisations)
    .where(
      and(
        eq(synchronisations.orgId, orgId),
        eq(synchronisations.targetType, 'register'),
        eq(synchronisations.targetSchemaId, schemaId),
        eq(synchronisations.enabled, true),
        ...(exceptId ? [ne(synchronisations.id, exceptId)] : []),
      ),
    )
    .orderBy(asc(synchronisations.id));
}

const listed = (names: readonly string[]) =>
  names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;

/**
 * The warning a synchronisation writing into a register schema gets when another enabled one already
 * writes there; null when it is alone there (or disabled, or writes elsewhere).
 */
export async function sharedSchemaWarning(
  db: Db | Tx,
  orgId: string,
  candidate: {
    readonly id: string | null;
    readonly enabled: boolean;
    readonly targetType: string;
    readonly targetSchemaId: string | null;
  },
): Promise<SaveWarning | null> {
  if (!candidate.enabled || candidate.targetType !== 'register' || !candidate.targetSchemaId) return null;
  const others = await schemaWriters(db, orgId, candidate.targetSchemaId, candidate.id);
  if (others.length === 0) return null;
  const [schema] = await db
    .select({ schema: schemas.name, register: registers.name })
    .from(schemas)
    .innerJoin(registers, and(eq(registers.id, schemas.registerId), eq(registers.orgId, orgId)))
    .where(and(eq(schemas.orgId, orgId), eq(schemas.id, candidate.targetSchemaId)));
  const place = schema ? `the schema ${schema.register} › ${schema.schema}` : 'this schema';
  const names = others.map((o) => `“${o.name}”`);
  const verb = others.length === 1 ? 'also writes' : 'also write';
  return {
    field: 'targetSchemaId',
    others,
    message:
      `${listed(names)} ${verb} into ${place}. Each synchronisation creates its own register object for ` +
      `every object it reads, so a record both sources hold ends up in the register twice. If they read ` +
      `the same records, keep one synchronisation (disable the other) or give each its own schema; if ` +
      `they read different records, nothing needs to change. Each register object shows which ` +
      `synchronisation it came from.`,
  };
}
