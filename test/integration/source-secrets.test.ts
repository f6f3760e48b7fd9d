// Source credentials are encrypted at rest and write-only: not in the database file as plain text,
// not in any API response — yet still usable by the server.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSecrets, loadSource } from '@/server/services/sources';
import { callerFor, createOwner } from '../factories';
import { createTestDatabase, type TestDatabase } from './helpers/database';

const SECRET = 'sk_live_CONCORD_TEST_SECRET_7f3a9c';
const ROTATED = 'sk_live_ROTATED_SECRET_1b2c3d';

let db: TestDatabase;
let owner: Awaited<ReturnType<typeof createOwner>>;

beforeAll(async () => {
  db = await createTestDatabase();
  owner = await createOwner(db.db);
});
afterAll(() => db.close());

function databaseBytes(): string {
  // WAL mode: recent writes may still be in the -wal file, so read both.
  const parts = [db.file, `${db.file}-wal`].map((f) => {
    try {
      return readFileSync(f).toString('latin1');
    } catch {
      return '';
    }
  });
  return parts.join('');
}

describe('source secrets', () => {
  it('are never returned by the API and never stored as plain text', async () => {
    const api = callerFor(db.db, owner.user);
    const orgId = owner.org.id;
    const responses: unknown[] = [];
    const created = await api.sources.create({
      orgId,
      name: 'Billing API',
      type: 'rest',
      config: {
        baseUrl: 'https://billing.example.test/api',
        auth: { type: 'apiKey', in: 'header', name: 'X-Api-Key' },
      },
      secrets: { apiKey: SECRET },
    });
    responses.push(created);
    responses.push(await api.sources.get({ orgId, sourceId: created.id }));
    responses.push(await api.sources.list({ orgId }));
    responses.push(await api.sources.update({ orgId, sourceId: created.id, name: 'Billing API v2' }));

    for (const response of responses) expect(JSON.stringify(response)).not.toContain(SECRET);
    expect(created.secretsSet).toEqual(['apiKey']);
    expect(databaseBytes()).not.toContain(SECRET);

    // The server can still use it: decrypting gives the value back, and a rename kept it.
    expect(readSecrets(await loadSource(db.db, orgId, created.id))).toEqual({ apiKey: SECRET });
  });

  it('can be replaced and removed without being read back', async () => {
    const api = callerFor(db.db, owner.user);
    const orgId = owner.org.id;
    const source = await api.sources.create({
      orgId,
      name: 'Partner API',
      type: 'rest',
      config: { baseUrl: 'https://partner.example.test', auth: { type: 'bearer' } },
      secrets: { token: SECRET },
    });
    const rotated = await api.sources.update({ orgId, sourceId: source.id, secrets: { token: ROTATED } });
    expect(JSON.stringify(rotated)).not.toContain(ROTATED);
    expect(readSecrets(await loadSource(db.db, orgId, source.id))).toEqual({ token: ROTATED });

    const cleared = await api.sources.update({ orgId, sourceId: source.id, secrets: { token: null } });
    expect(cleared.secretsSet).toEqual([]);
    expect(readSecrets(await loadSource(db.db, orgId, source.id))).toEqual({});
  });

  it('rejects a secret the source type does not have, and an invalid config, with the field named', async () => {
    const api = callerFor(db.db, owner.user);
    await expect(
      api.sources.create({
        orgId: owner.org.id,
        name: 'X',
        type: 'rest',
        config: { baseUrl: 'https://x.test' },
        secrets: { pin: '1' },
      }),
    ).rejects.toThrow(/no secret called "pin"/);
    await expect(
      api.sources.create({
        orgId: owner.org.id,
        name: 'X',
        type: 'rest',
        config: { baseUrl: 'ftp://x.test' },
      }),
    ).rejects.toThrow(/^Base URL must be an http\(s\) URL/);
  });
});
