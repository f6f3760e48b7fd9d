// One system's ids leaking into another through a hub. A two-way synchronisation writes the register's
// version of an object back to its source; when its write-back carries the field that is the source's
// own id (REST: the id field; SQL: a key column) and other synchronisations write into the same register
// schema, the register's values of that field are, for their objects, another system's ids — and the
// write-back would put them into this source's ids. Concord finds each object at the source by its
// contract, so the field need not be sent at all. Not refused (a setup where every writer shares one id
// is possible): the save answers a warning, and the synchronisation's page keeps showing it.
import { and, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { synchronisations } from '../db/schema';
import { mappingConfigSchema, type MappingConfig } from '../sync/core/mapping/config';
import { readStored } from '../sync/config/stored';
import { syncSourceConfigSchema } from '../sync/config/sync-config';
import { writeBackIdField, type ResolvedWriteBack } from '../sync/config/write-back';
import { loadMapping } from './mappings';
import { loadSchema } from './registers';
import { schemaWriters, type SaveWarning } from './shared-schema';

interface SyncFacts {
  readonly id: string;
  readonly direction: string;
  readonly enabled: boolean;
  readonly targetSchemaId: string | null;
  readonly sourceConfig: unknown;
  readonly mappingId: string | null;
  readonly writeBackMappingId: string | null;
}

const topField = (path: string) => path.split('.')[0] ?? path;

/** The source's fields that hold its own id, in the shape the write-back sends. */
function keyFieldsOf(writeBack: ResolvedWriteBack, sourceIdField: string): string[] {
  if (writeBack.kind === 'sql') {
    const { keyColumns, columns } = writeBack.config;
    return keyColumns.map((column) => topField(columns?.[column] ?? column));
  }
  return [...new Set([topField(writeBack.config.idPath), topField(sourceIdField)])];
}

/**
 * Whether a mapping's output holds `field`; null mapping: the object goes as it is, and holds it when
 * `asIs` says so.
 */
function outputHolds(mapping: MappingConfig | null, field: string, asIs: boolean): boolean {
  if (!mapping) return asIs;
  if (mapping.unset.some((path) => path === field)) return false;
  return Object.keys(mapping.mapping).some((key) => topField(key) === field) || (mapping.passThrough && asIs);
}

async function mappingOf(
  db: Db | Tx,
  orgId: string,
  mappingId: string | null,
): Promise<MappingConfig | null> {
  if (!mappingId) return null;
  const row = await loadMapping(db, orgId, mappingId).catch(() => null);
  const parsed = row ? readStored(mappingConfigSchema, row.config, `mapping ${mappingId}`) : null;
  return parsed?.success ? parsed.data : null;
}

/** The warning, or null: not two-way, no other writer of its schema, or no id field in the write-back. */
export async function foreignIdWarning(
  db: Db | Tx,
  orgId: string,
  sync: SyncFacts,
  writeBack: ResolvedWriteBack | null,
  sourceName: string,
): Promise<SaveWarning | null> {
  if (sync.direction !== 'two-way' || !sync.enabled || !sync.targetSchemaId || !writeBack) return null;
  const others = await schemaWriters(db, orgId, sync.targetSchemaId, sync.id);
  if (others.length === 0) return null;
  const source = readStored(syncSourceConfigSchema, sync.sourceConfig ?? {}, `synchronisation ${sync.id}`);
  const sourceIdField = writeBackIdField(source.success ? source.data : { sourceIdField: 'id' });
  const writers = await db
    .select({ mappingId: synchronisations.mappingId })
    .from(synchronisations)
    .where(
      and(
        eq(synchronisations.orgId, orgId),
        inArray(synchronisations.id, [sync.id, ...others.map((o) => o.id)]),
      ),
    );
  const [outbound, schema, ...inbound] = await Promise.all([
    mappingOf(db, orgId, sync.writeBackMappingId),
    loadSchema(db, orgId, sync.targetSchemaId),
    ...writers.map((w) => mappingOf(db, orgId, w.mappingId)),
  ]);
  const declared = Object.keys(
    (schema.jsonSchema as { properties?: Record<string, unknown> } | null)?.properties ?? {},
  );
  // The register's objects hold the field when its schema names it or a writer's mapping puts it there
  // (or passes its source's objects on, which carry their own ids).
  const registerHolds = (field: string) =>
    declared.includes(field) || inbound.some((mapping) => outputHolds(mapping, field, true));
  // Without a write-back mapping the register object goes back as it is; with one, the field is carried
  // when it is passed on or taken from the register's field of the same name (from another field, it is
  // a choice of where this source's ids are kept).
  const carried = keyFieldsOf(writeBack, sourceIdField).filter((field) =>
    outbound
      ? outbound.mapping[field] === field ||
        (outbound.passThrough &&
          !(field in outbound.mapping) &&
          outputHolds(outbound, field, registerHolds(field)))
      : registerHolds(field),
  );
  const field = carried[0];
  if (field === undefined) return null;
  const names = others.map((o) => `“${o.name}”`).join(', ');
  return {
    field: sync.writeBackMappingId ? 'writeBackMappingId' : 'mappingId',
    others,
    message:
      `The write-back to ${sourceName} sends the field “${field}”, which is where ${sourceName} keeps its ` +
      `own ids. ${names} also ${others.length === 1 ? 'writes' : 'write'} into this register schema, so ` +
      `for their objects “${field}” holds another system's id, which would be written into ` +
      `${sourceName}'s ids. Leave “${field}” out of the write-back mapping (Concord finds each object at ` +
      `${sourceName} by its contract), or map it from a field that holds ${sourceName}'s own id.`,
  };
}
