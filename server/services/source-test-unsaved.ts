// "Test connection" before a source is saved: the form's settings and secrets are checked as saving
// would check them (each problem at its field), then tried exactly as a saved source's test tries them —
// through the same URL guard and address policy — and nothing is stored. With `sourceId`, the secrets
// left unchanged in the form are the stored ones (the browser never holds them) — unless the settings
// send them to another address, where saving would drop them too.
import type { Db } from '../db/client';
import type { SourceType } from '../db/schema';
import {
  SOURCE_CONFIG_SCHEMAS,
  type RestSourceConfig,
  type SqlSourceConfig,
} from '../sync/config/source-config';
import { adviceFor } from './connection-advice';
import { UserError } from './errors';
import { parseInput } from './field-issues';
import {
  testRestConnection,
  type ConnectionTest,
  type ConnectionTestInput,
  type ConnectionTestOptions,
} from './source-test';
import { testSqlConnection, type SqlConnectionTest, type SqlConnectionTestInput } from './source-test-sql';
import { loadSource, readSecrets, settleSave, type SecretChanges, type StoredSource } from './sources';

export interface UnsavedSource {
  type: SourceType;
  config: unknown;
  secrets?: SecretChanges;
  /** Editing a saved source: its stored secrets fill in those the form leaves unchanged. */
  sourceId?: string;
}

type Advised<T> = T extends { ok: false } ? T & { advice: string } : T;

export type UnsavedTest =
  { type: 'rest'; result: Advised<ConnectionTest> } | { type: 'sql'; result: Advised<SqlConnectionTest> };

export async function testUnsavedSource(
  db: Db,
  orgId: string,
  source: UnsavedSource,
  input: ConnectionTestInput & SqlConnectionTestInput,
  options: ConnectionTestOptions,
): Promise<UnsavedTest> {
  if (source.type !== 'rest' && source.type !== 'sql') {
    throw new UserError(
      'BAD_REQUEST',
      source.type === 'file'
        ? 'A file source has nothing to connect to: save it, then upload the file and check its preview.'
        : 'A register source reads Concord’s own objects: there is no connection to test.',
    );
  }
  // Settled as saving would settle them: no secret among the settings, and a saved source's secrets
  // only where they were given for (a changed address tries only the secrets typed now).
  const stored = await storedOf(db, orgId, source);
  if (source.type === 'rest') {
    const checked: RestSourceConfig = parseInput(SOURCE_CONFIG_SCHEMAS.rest, source.config, 'config');
    const settled = settleSave('rest', stored, checked, source.secrets ?? {});
    const result = await testRestConnection(
      settled.config as RestSourceConfig,
      settled.secrets,
      input,
      options,
    );
    return { type: 'rest', result: result.ok ? result : { ...result, advice: adviceFor(result) } };
  }
  const config: SqlSourceConfig = parseInput(SOURCE_CONFIG_SCHEMAS.sql, source.config, 'config');
  const { secrets } = settleSave('sql', stored, config, source.secrets ?? {});
  const result = await testSqlConnection(config, secrets['password'], input, options);
  return { type: 'sql', result: result.ok ? result : { ...result, advice: adviceFor(result) } };
}

async function storedOf(db: Db, orgId: string, source: UnsavedSource): Promise<StoredSource | null> {
  if (!source.sourceId) return null;
  const row = await loadSource(db, orgId, source.sourceId);
  if (row.type !== source.type)
    throw new UserError('BAD_REQUEST', 'The source is of another type than the one tested.', 'type');
  return { config: row.config, secrets: readSecrets(row) };
}
