// Sources: CRUD with per-type config validation and write-only, encrypted secrets.
import { and, asc, eq, or } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { registers, schemas, sources, synchronisations, type SourceType } from '../db/schema';
import { getEncryptionKey } from '../security/keys';
import { openJson, sealJson } from '../security/secret-box';
import { SOURCE_CONFIG_SCHEMAS, SOURCE_SECRET_NAMES } from '../sync/config/source-config';
import { UserError, notFound } from './errors';
import { InvalidInput, parseInput, type FieldIssue } from './field-issues';
import { findFile } from './files-chunks';

type SourceRow = typeof sources.$inferSelect;

/** Secret changes: a string sets a value, null removes it, an absent name keeps what is stored. */
export type SecretChanges = Record<string, string | null>;

/** What leaves the server: never the ciphertext, never a secret — only which secrets are set. */
export function toPublicSource(row: SourceRow, secretNames: string[]) {
  const { secretsCipher: _cipher, ...rest } = row;
  return { ...rest, secretsSet: secretNames.sort() };
}

export function readSecrets(row: Pick<SourceRow, 'secretsCipher'>): Record<string, string> {
  return row.secretsCipher ? openJson(row.secretsCipher, getEncryptionKey()) : {};
}

function validateConfig(type: SourceType, config: unknown) {
  return parseInput(SOURCE_CONFIG_SCHEMAS[type], config, 'config') as Record<string, unknown>;
}

/**
 * A file source may be pinned (`config.fileId`) only to a finished version of its own file: never to
 * another source's file or another organisation's, which a synchronisation would otherwise read.
 */
async function checkPinnedFile(
  db: Db,
  orgId: string,
  source: { id: string | null; type: SourceType },
  config: Record<string, unknown>,
) {
  const fileId = config['fileId'];
  if (source.type !== 'file' || typeof fileId !== 'string' || fileId === '') return;
  const file = source.id ? await findFile(db, orgId, fileId) : undefined;
  if (!file || file.sourceId !== source.id) {
    throw new UserError(
      'BAD_REQUEST',
      "That file is not a version of this source's file. Pin one of the versions uploaded to this source.",
      'config.fileId',
    );
  }
}

/**
 * A register source reads one of the organisation's own register schemas: its register and schema must
 * be found in this organisation, and the schema in that register. Another organisation's ids read as ids
 * that do not exist (no hint that they do), as every reference across organisations does. Checked on
 * save only: a saved source whose schema was deleted since is still read, and fails its runs saying so.
 */
async function checkRegisterSchema(db: Db, orgId: string, type: SourceType, config: Record<string, unknown>) {
  if (type !== 'register') return;
  const { registerId, schemaId } = config as { registerId: string; schemaId: string };
  const [[register], [schema]] = await Promise.all([
    db
      .select({ id: registers.id })
      .from(registers)
      .where(and(eq(registers.orgId, orgId), eq(registers.id, registerId))),
    db
      .select({ registerId: schemas.registerId })
      .from(schemas)
      .where(and(eq(schemas.orgId, orgId), eq(schemas.id, schemaId))),
  ]);
  const issues: FieldIssue[] = [];
  if (!register)
    issues.push({
      field: 'config.registerId',
      message: `The register "${registerId}" was not found in this organisation.`,
    });
  if (!schema)
    issues.push({
      field: 'config.schemaId',
      message: `The schema "${schemaId}" was not found in this organisation.`,
    });
  else if (register && schema.registerId !== registerId)
    issues.push({ field: 'config.schemaId', message: 'The schema does not belong to that register.' });
  if (issues.length > 0) throw new InvalidInput(issues);
}

function applySecretChanges(type: SourceType, current: Record<string, string>, changes: SecretChanges) {
  const allowed: readonly string[] = SOURCE_SECRET_NAMES[type];
  const next = { ...current };
  for (const [name, value] of Object.entries(changes)) {
    if (!allowed.includes(name)) {
      throw new UserError(
        'BAD_REQUEST',
        `A ${type} source has no secret called "${name}".`,
        `secrets.${name}`,
      );
    }
    if (value === null || value === '') delete next[name];
    else next[name] = value;
  }
  return next;
}

const seal = (secrets: Record<string, string>) =>
  Object.keys(secrets).length ? sealJson(secrets, getEncryptionKey()) : null;

export async function listSources(db: Db, orgId: string) {
  const rows = await db.select().from(sources).where(eq(sources.orgId, orgId)).orderBy(asc(sources.name));
  return rows.map((row) => toPublicSource(row, Object.keys(readSecrets(row))));
}

export async function loadSource(db: Db | Tx, orgId: string, id: string): Promise<SourceRow> {
  const [row] = await db
    .select()
    .from(sources)
    .where(and(eq(sources.orgId, orgId), eq(sources.id, id)));
  if (!row) throw notFound('The source');
  return row;
}

export async function getSource(db: Db, orgId: string, id: string) {
  const row = await loadSource(db, orgId, id);
  return toPublicSource(row, Object.keys(readSecrets(row)));
}

export interface SourceInput {
  name: string;
  type: SourceType;
  enabled?: boolean;
  config: unknown;
  secrets?: SecretChanges;
}

export async function createSource(db: Db, orgId: string, input: SourceInput) {
  const config = validateConfig(input.type, input.config);
  await checkPinnedFile(db, orgId, { id: null, type: input.type }, config);
  await checkRegisterSchema(db, orgId, input.type, config);
  const secrets = applySecretChanges(input.type, {}, input.secrets ?? {});
  const [row] = await db
    .insert(sources)
    .values({
      orgId,
      name: input.name.trim(),
      type: input.type,
      enabled: input.enabled ?? true,
      config,
      secretsCipher: seal(secrets),
    })
    .returning();
  if (!row) throw new Error('source insert returned nothing');
  return toPublicSource(row, Object.keys(secrets));
}

export async function updateSource(
  db: Db,
  orgId: string,
  id: string,
  input: Partial<Omit<SourceInput, 'type'>>,
) {
  const current = await loadSource(db, orgId, id);
  const config = input.config === undefined ? current.config : validateConfig(current.type, input.config);
  if (input.config !== undefined) {
    await checkPinnedFile(db, orgId, current, config);
    await checkRegisterSchema(db, orgId, current.type, config);
  }
  const secrets = applySecretChanges(current.type, readSecrets(current), input.secrets ?? {});
  const [row] = await db
    .update(sources)
    .set({
      name: input.name?.trim() ?? current.name,
      enabled: input.enabled ?? current.enabled,
      config,
      secretsCipher: seal(secrets),
    })
    .where(and(eq(sources.orgId, orgId), eq(sources.id, id)))
    .returning();
  if (!row) throw notFound('The source');
  return toPublicSource(row, Object.keys(secrets));
}

export async function deleteSource(db: Db, orgId: string, id: string) {
  await loadSource(db, orgId, id);
  const users = await db
    .select({ name: synchronisations.name })
    .from(synchronisations)
    .where(
      and(
        eq(synchronisations.orgId, orgId),
        or(eq(synchronisations.sourceId, id), eq(synchronisations.targetSourceId, id)),
      ),
    );
  if (users.length) {
    throw new UserError(
      'CONFLICT',
      `This source is used by: ${users.map((u) => u.name).join(', ')}. Change or delete those first.`,
    );
  }
  await db.delete(sources).where(and(eq(sources.orgId, orgId), eq(sources.id, id)));
}
