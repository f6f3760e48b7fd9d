// Configuration refuses keys it does not know, naming the key and the nearest known one, and stored
// configuration saved by an older version still reads (its unknown keys left out, with a log line).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { restSourceConfig } from '@/server/sync/config/source-config';
import { readStored } from '@/server/sync/config/stored';
import { restTargetConfigSchema, syncSourceConfigSchema } from '@/server/sync/config/sync-config';
import { mappingConfigSchema } from '@/server/sync/core/mapping/config';
import { nearestKey, unknownKeysMessage } from '@/server/sync/core/strict-object';

const messages = (result: { success: boolean; error?: { issues: { message: string }[] } }) =>
  result.error?.issues.map((i) => i.message) ?? [];

describe('unknown configuration keys', () => {
  it('refuses a typo of resultsPosition instead of falling back to detection', () => {
    const parsed = syncSourceConfigSchema.safeParse({ resultPosition: 'data.items' });
    expect(parsed.success).toBe(false);
    expect(messages(parsed)).toEqual(['Unknown setting `resultPosition` — did you mean `resultsPosition`?']);
    expect(parsed.error?.issues[0]).toMatchObject({ code: 'unrecognized_keys', keys: ['resultPosition'] });
  });

  it('refuses unknown keys at every depth: pagination, sub-objects, SQL reading, auth, target, mapping', () => {
    expect(messages(syncSourceConfigSchema.safeParse({ pagination: { kind: 'offset', limt: 50 } }))).toEqual([
      'Unknown setting `limt` — did you mean `limit`?',
    ]);
    expect(
      messages(syncSourceConfigSchema.safeParse({ subObjects: [{ path: 'lines', idfield: 'x' }] })),
    ).toEqual(['Unknown setting `idfield` — did you mean `idField`?']);
    expect(messages(syncSourceConfigSchema.safeParse({ sql: { pagesize: 10 } }))).toEqual([
      'Unknown setting `pagesize` — did you mean `pageSize`?',
    ]);
    expect(
      messages(
        restSourceConfig.safeParse({ baseUrl: 'https://x.test', auth: { type: 'basic', usrname: 'ada' } }),
      ),
    ).toContain('Unknown setting `usrname` — did you mean `username`?');
    expect(messages(restTargetConfigSchema.safeParse({ updateMetod: 'PATCH' }))).toEqual([
      'Unknown setting `updateMetod` — did you mean `updateMethod`?',
    ]);
    expect(messages(mappingConfigSchema.safeParse({ mapings: { a: 'b' } }))).toEqual([
      'Unknown setting `mapings` — did you mean `mapping`?',
    ]);
  });

  it('lists the known keys when nothing is near, and names several unknown keys at once', () => {
    expect(nearestKey('colour', ['sourceIdField', 'maxPages'])).toBeNull();
    expect(unknownKeysMessage(['colour'], ['path', 'idField'])).toBe(
      'Unknown setting `colour`; the known settings here are `path`, `idField`.',
    );
    expect(unknownKeysMessage(['MAXPAGES', 'qeury'], ['maxPages', 'query'], 'field')).toBe(
      'Unknown field `MAXPAGES` — did you mean `maxPages`? Unknown field `qeury` — did you mean `query`?',
    );
  });
});

describe('stored configuration', () => {
  afterEach(() => vi.restoreAllMocks());

  it('reads an old row with keys this version does not know, leaving them out and logging them', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const stored = {
      resultsPosition: 'data',
      retired: true,
      pagination: { kind: 'offset', limit: 20, legacy: 'x' },
      subObjects: [{ path: 'lines', old: 1 }],
    };
    const parsed = readStored(syncSourceConfigSchema, stored, 'synchronisation syn_1 source settings');
    expect(parsed.success).toBe(true);
    expect(parsed.data).toMatchObject({
      resultsPosition: 'data',
      pagination: { kind: 'offset', limit: 20 },
      subObjects: [{ path: 'lines', idField: 'id' }],
    });
    expect(parsed.data).not.toHaveProperty('retired');
    expect(parsed.data?.pagination).not.toHaveProperty('legacy');
    expect(warn).toHaveBeenCalledOnce();
    const line = String(warn.mock.calls[0]?.[0]);
    expect(line).toMatch(
      /^synchronisation syn_1 source settings: ignored settings this version does not know: /,
    );
    for (const key of ['retired', 'pagination.legacy', 'subObjects.0.old']) expect(line).toContain(key);
  });

  it('still refuses a stored value that is wrong, not merely unknown', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(readStored(syncSourceConfigSchema, { maxPages: -1, old: 1 }, 'x').success).toBe(false);
  });
});
