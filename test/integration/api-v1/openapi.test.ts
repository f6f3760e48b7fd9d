// The OpenAPI document: served without a key, valid OpenAPI 3.1 (checked by @readme/openapi-parser),
// generated from the route list, and the types the tests' client is generated from are up to date.
import { readFileSync } from 'node:fs';
import { validate } from '@readme/openapi-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generatedTypes } from '@/server/api/v1/openapi-types';
import { ROUTES } from '@/server/api/v1/routes';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { apiClient, useDatabase } from './client';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await useDatabase(db);
});
afterAll(() => db.close());

describe('/api/v1/openapi.json', () => {
  it('is served without a key and validates as OpenAPI 3.1', async () => {
    const { data, response } = await apiClient().GET('/openapi.json');
    expect(response.status).toBe(200);
    expect(data).toMatchObject({ openapi: '3.1.0' });
    const result = await validate(JSON.parse(JSON.stringify(data)) as never);
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(result).toMatchObject({ valid: true, specification: 'OpenAPI', warnings: [] });
  });

  it('has an operation for every route, with its scope', async () => {
    const { data } = await apiClient().GET('/openapi.json');
    const paths = (
      data as { paths: Record<string, Record<string, { operationId: string; 'x-scope': string }>> }
    ).paths;
    for (const route of ROUTES)
      expect(paths[route.path]?.[route.method.toLowerCase()]).toMatchObject({
        operationId: route.operationId,
        'x-scope': route.scope,
      });
  });

  it('documents the answers a client meets beyond success: conflicts, large bodies, reused keys', async () => {
    const { data } = await apiClient().GET('/openapi.json');
    const paths = (data as { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> })
      .paths;
    const statuses = (path: string, method: string) => Object.keys(paths[path]![method]!.responses);
    // A push while a run is under way; an edit of a deleted object; an Idempotency-Key used for another body.
    expect(statuses('/synchronisations/{syncId}/objects', 'post')).toEqual(
      expect.arrayContaining(['409', '413', '422']),
    );
    expect(statuses('/objects/{objectId}', 'put')).toEqual(expect.arrayContaining(['409', '412', '413']));
    expect(statuses('/objects/{objectId}', 'get')).not.toContain('409');
  });

  it('matches the checked-in client types (npm run api:types regenerates them)', async () => {
    const checkedIn = readFileSync('test/integration/api-v1/openapi.d.ts', 'utf8');
    const { format } = await import('prettier');
    const fresh = await format(await generatedTypes(), {
      filepath: 'openapi.d.ts',
      ...(await prettierConfig()),
    });
    expect(checkedIn).toBe(fresh);
  });
});

async function prettierConfig() {
  const { resolveConfig } = await import('prettier');
  return (await resolveConfig('test/integration/api-v1/openapi.d.ts')) ?? {};
}
