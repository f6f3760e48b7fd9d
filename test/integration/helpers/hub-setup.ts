// A register schema as a hub, set up through the API as a user would: a "Directory" register with the
// Person schema; a CRM (json-server) that feeds it (a pull into the schema); a mailing list (json-server)
// it feeds (a push); and optionally a PostgreSQL table it feeds too (a push with an SQL target). Free of
// test-runner imports, so the Playwright specs use it too.
import type { Db } from '@/server/db/client';
import { callerFor, createOwner } from '../../factories';
import { PEOPLE_TARGET, PERSON_JSON_SCHEMA } from './push-setup';
import type { SqlPeer } from './sql-peers';

export interface HubOptions {
  crmUrl: string;
  mailingUrl: string;
  /** Also push into a table of this database (created here; `hub_` prefixed). */
  sql?: SqlPeer;
}

export async function hubSetup(db: Db, o: HubOptions) {
  const owner = await createOwner(db);
  const api = callerFor(db, owner.user);
  const orgId = owner.org.id;
  const register = await api.registers.create({ orgId, name: 'Directory' });
  const schema = await api.registers.createSchema({
    orgId,
    registerId: register.id,
    name: 'Person',
    jsonSchema: PERSON_JSON_SCHEMA,
  });
  const hubSource = await api.sources.create({
    orgId,
    name: 'Directory',
    type: 'register',
    config: { registerId: register.id, schemaId: schema.id },
  });
  const crm = await api.sources.create({ orgId, name: 'CRM', type: 'rest', config: { baseUrl: o.crmUrl } });
  const fromCrm = await api.synchronisations.create({
    orgId,
    name: 'CRM into the directory',
    sourceId: crm.id,
    sourceEndpoint: '/people',
    targetType: 'register',
    targetRegisterId: register.id,
    targetSchemaId: schema.id,
    deleteMode: 'none',
  });
  const mailing = await api.sources.create({
    orgId,
    name: 'Mailing list',
    type: 'rest',
    config: { baseUrl: o.mailingUrl },
  });
  const toMailing = await api.synchronisations.create({
    orgId,
    name: 'Directory to the mailing list',
    sourceId: hubSource.id,
    targetType: 'source',
    targetSourceId: mailing.id,
    targetConfig: PEOPLE_TARGET,
    deleteMode: 'hard',
  });
  let warehouse: { table: string; source: { id: string }; sync: { id: string; name: string } } | null = null;
  if (o.sql) {
    const table = o.sql.table('hub_people');
    await o.sql.exec(
      `CREATE TABLE "${table}" (id varchar(64) PRIMARY KEY, name text NOT NULL, email text, city text)`,
    );
    const source = await api.sources.create({ orgId, name: 'Warehouse', type: 'sql', config: o.sql.config });
    const sync = await api.synchronisations.create({
      orgId,
      name: 'Directory to the warehouse',
      sourceId: hubSource.id,
      targetType: 'source',
      targetSourceId: source.id,
      targetConfig: { table, keyColumns: ['id'] },
      deleteMode: 'hard',
    });
    warehouse = { table, source, sync };
  }
  const person = (name: string, extra: Record<string, unknown> = {}) =>
    api.registers.createObject({
      orgId,
      schemaId: schema.id,
      data: { name, email: `${name.toLowerCase()}@example.test`, ...extra },
    });
  return {
    owner,
    api,
    orgId,
    register,
    schema,
    hubSource,
    crm,
    fromCrm,
    mailing,
    toMailing,
    warehouse,
    person,
  };
}
