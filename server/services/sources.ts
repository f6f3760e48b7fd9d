// Sources: CRUD with per-type config validation and write-only, encrypted secrets. Secrets stay out of
// the settings (config/source-secrets.ts): a header or query parameter named like one is refused on save
// and masked in answers, and settings that send the secrets to another address drop the stored ones.
import { and, asc, eq, or } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { registers, schemas, sources, synchronisations, type SourceType } from '../db/schema';
import { getEncryptionKey } from '../security/keys';
import { openJson, sealJson } from '../security/secret-box';
import { SOURCE_CONFIG_SCHEMAS } from '../sync/config/source-config';
import { canonicalJson } from '../sync/core/canonical-json';
import {
  addressChanged,
  maskedConfig,
  sameSecret,
  secretNameProblem,
  secretValueProblem,
  settleSensitiveSettings,
  secretParamsInAddress,
  addressSecretRefusal,
  ADDRESS_CREDENTIALS_REFUSAL,
  credentialsInAddress,
} from '../sync/config/source-secrets';
import { UserError, notFound } from './errors';
import { InvalidInput, parseInput, type FieldIssue } from './field-issues';
import { findFile } from './files-chunks';
import { forgetCursorsOfSource } from './sync-cursor';
import { rekeyForIdColumn } from './sync-rekey';
import { dropSyncSecretsOfSource } from './sync-secrets';

type SourceRow = typeof sources.$inferSelect;

/** Secret changes: a string sets a value, null removes it, an absent name keeps what is stored. */
export type SecretChanges = Record<string, string | null>;

/**
 * What leaves the server: never the ciphertext, never a secret — only which secrets are set. A value an
 * earlier version saved in the settings under a secret-looking name is masked.
 */
export function toPublicSource(row: SourceRow, secretNames: string[]) {
  const { secretsCipher: _cipher, ...rest } = row;
  return { ...rest, config: maskedConfig(row.type, row.config), secretsSet: secretNames.sort() };
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

/** Applies secret changes to `current`: a value sets (replaces) a secret, null or '' removes it. */
export function applySecretChanges(
  type: SourceType,
  current: Record<string, string>,
  changes: SecretChanges,
) {
  const next = { ...current };
  for (const [name, value] of Object.entries(changes)) {
    const problem = secretNameProblem(type, name) ?? (value ? secretValueProblem(name, value) : null);
    if (problem) throw new UserError('BAD_REQUEST', problem, `secrets.${name}`);
    // A header's secret replaces one of the same name in another case (one header, one value).
    for (const stored of Object.keys(next)) if (sameSecret(stored, name)) delete next[stored];
    if (value !== null && value !== '') next[name] = value;
  }
  return next;
}

/** A saved source's settings and decrypted secrets, as a save starts from them. */
export interface StoredSource {
  config: Record<string, unknown>;
  secrets: Record<string, string>;
}

/**
 * The settings and secrets a save keeps (also what a test of unsaved settings uses): `config` (already
 * checked against its type's schema; undefined: unchanged) must not carry a secret-looking header or
 * query parameter (the mask of a value saved there by an earlier version keeps it, in the secrets), and
 * when it sends the secrets to another address than `stored`'s (a REST origin, an SQL host and port),
 * the stored secrets are dropped: only those `changes` gives again are kept.
 */
export function settleSave(
  type: SourceType,
  stored: StoredSource | null,
  config: Record<string, unknown> | undefined,
  changes: SecretChanges,
): { config: Record<string, unknown>; secrets: Record<string, string> } {
  if (config === undefined) {
    if (!stored) throw new Error('a new source needs its settings');
    return {
      config: stored.config,
      secrets: applySecretChanges(type, stored.secrets, changes),
    };
  }
  const moved = stored !== null && addressChanged(type, stored.config, config);
  let settled: { config: Record<string, unknown>; moved: Record<string, string> } = { config, moved: {} };
  if (type === 'rest') {
    const checked = settleSensitiveSettings(config, stored?.config, moved);
    for (const name of secretParamsInAddress(config['baseUrl']))
      checked.issues.push({ field: 'config.baseUrl', message: addressSecretRefusal(name, 'source') });
    if (credentialsInAddress(config['baseUrl']))
      checked.issues.push({ field: 'config.baseUrl', message: ADDRESS_CREDENTIALS_REFUSAL.baseUrl });
    if (credentialsInAddress((config['auth'] as { tokenUrl?: unknown } | undefined)?.tokenUrl))
      checked.issues.push({ field: 'config.auth.tokenUrl', message: ADDRESS_CREDENTIALS_REFUSAL.tokenUrl });
    if (checked.issues.length > 0) throw new InvalidInput(checked.issues);
    settled = checked;
  }
  const kept = moved || !stored ? {} : stored.secrets;
  // A value the settings held moves to the secrets unless a secret of that name is already stored.
  const base = { ...kept };
  for (const [name, value] of Object.entries(settled.moved))
    if (!Object.keys(base).some((n) => sameSecret(n, name))) base[name] = value;
  return {
    config: settled.config,
    secrets: applySecretChanges(type, base, changes),
  };
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
  const checked = validateConfig(input.type, input.config);
  await checkPinnedFile(db, orgId, { id: null, type: input.type }, checked);
  await checkRegisterSchema(db, orgId, input.type, checked);
  const { config, secrets } = settleSave(input.type, null, checked, input.secrets ?? {});
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
  const checked = input.config === undefined ? undefined : validateConfig(current.type, input.config);
  if (checked !== undefined) {
    await checkPinnedFile(db, orgId, current, checked);
    await checkRegisterSchema(db, orgId, current.type, checked);
  }
  // A new address (another REST origin, SQL host or port) drops the stored secrets: a secret goes only
  // where it was given for, unless this request gives it again.
  const { config, secrets } = settleSave(
    current.type,
    { config: current.config, secrets: readSecrets(current) },
    checked,
    input.secrets ?? {},
  );
  const addressMoved = checked !== undefined && addressChanged(current.type, current.config, checked);
  const [row] = await db.transaction(async (tx) => {
    // Its synchronisations' own secrets were given for the old address too.
    if (addressMoved) await dropSyncSecretsOfSource(tx, orgId, id);
    // What it reads from, or how, changed: the cursors taken from what it held before no longer hold.
    if (canonicalJson(config) !== canonicalJson(current.config)) await forgetCursorsOfSource(tx, orgId, id);
    // A CSV file's id column is its synchronisations' id field: their contracts are re-keyed with it.
    await rekeyForIdColumn(tx, orgId, id, current, { type: current.type, config });
    return tx
      .update(sources)
      .set({
        name: input.name?.trim() ?? current.name,
        enabled: input.enabled ?? current.enabled,
        config,
        secretsCipher: seal(secrets),
      })
      .where(and(eq(sources.orgId, orgId), eq(sources.id, id)))
      .returning();
  });
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
