// The rules of config/sync-secrets.ts (a synchronisation's own secrets and their placeholders) and
// config/legacy-secrets.ts (where plain values an earlier version saved move, so requests do not change).
import { describe, expect, it } from 'vitest';
import { moveSourcePlainValues, moveSyncPlainValues } from '@/server/sync/config/legacy-secrets';
import { maskedParams } from '@/server/sync/config/source-secrets';
import {
  settleSyncSettings,
  withoutPlaceholders,
  withSecretValues,
  withSyncSecrets,
} from '@/server/sync/config/sync-secrets';

describe('a synchronisation’s own headers and query parameters', () => {
  it('are refused at sourceConfig.<place>.<name>, pointing to the source’s secrets', () => {
    const settled = settleSyncSettings(
      { headers: { 'X-Api-Key': 'K', Accept: 'text/csv' }, query: { access_token: 'T', keyword: 'a' } },
      null,
      false,
    );
    expect(settled.issues.map((i) => i.field)).toEqual([
      'sourceConfig.headers.X-Api-Key',
      'sourceConfig.query.access_token',
    ]);
    expect(settled.issues[0]!.message).toMatch(
      /secret header of the source \(its secret "header:X-Api-Key"\), which is sent with this synchronisation's requests too/,
    );
    expect(settled.issues[1]!.message).toMatch(/secret query parameter of the source .*"query:access_token"/);
    expect(settled.secrets).toEqual({});
  });

  it('keep a value saved before when its mask comes back, as a secret behind a placeholder, unless the source changed', () => {
    const config = { headers: { 'x-api-key': '***', Accept: 'a' }, query: { token: '***' } };
    const secrets = { 'header:x-api-key': 'K-1', 'query:token': 'T-1' };
    const stored = withSecretValues(config, secrets);
    expect(stored).toEqual({ headers: { 'x-api-key': 'K-1', Accept: 'a' }, query: { token: 'T-1' } });
    const answered = maskedParams(config);
    expect(settleSyncSettings({ ...answered, headers: { 'X-Api-Key': '***' } }, stored, false)).toEqual({
      config: { headers: { 'X-Api-Key': '***' }, query: { token: '***' } },
      secrets: { 'header:X-Api-Key': 'K-1', 'query:token': 'T-1' },
      issues: [],
    });
    // Left out: no longer kept.
    expect(settleSyncSettings({ query: { token: '***' } }, stored, false).secrets).toEqual({
      'query:token': 'T-1',
    });
    const moved = settleSyncSettings(answered, stored, true);
    expect(moved.issues.map((i) => i.message)).toEqual([
      expect.stringMatching(/^Choosing another source clears the saved value of the header "x-api-key"/),
      expect.stringMatching(/^Choosing another source clears the saved value of the query parameter "token"/),
    ]);
    // A mask with nothing behind it is no value.
    expect(settleSyncSettings({ headers: { Cookie: '***' } }, stored, false).issues).toHaveLength(1);
  });

  it('are read by a run without their placeholders, their secrets over the source’s', () => {
    const config = { headers: { 'X-Api-Key': '***', Accept: 'a' }, query: { token: '***', page: '1' } };
    expect(withoutPlaceholders(config)).toEqual({ headers: { Accept: 'a' }, query: { page: '1' } });
    const source = { 'header:x-api-key': 'SRC', token: 'bearer' };
    expect(withSyncSecrets(source, { 'header:X-Api-Key': 'SYNC', 'query:token': 'T' }, config)).toEqual({
      token: 'bearer',
      'header:X-Api-Key': 'SYNC',
      'query:token': 'T',
    });
    // One whose placeholder the settings no longer hold is not sent.
    expect(withSyncSecrets(source, { 'header:X-Api-Key': 'SYNC' }, { headers: {} })).toEqual(source);
  });
});

describe('plain secrets an earlier version saved', () => {
  it('move from a source’s settings to its secrets; a secret of the same name stays (it went over them)', () => {
    const config = {
      baseUrl: 'https://a.test',
      headers: { 'X-Api-Key': 'K', Accept: 'a' },
      query: { token: 'T', sort_key: 'name' },
    };
    expect(moveSourcePlainValues(config, { 'query:token': 'GIVEN' })).toEqual({
      config: { baseUrl: 'https://a.test', headers: { Accept: 'a' }, query: { sort_key: 'name' } },
      secrets: { 'query:token': 'GIVEN', 'header:X-Api-Key': 'K' },
    });
    expect(moveSourcePlainValues({ baseUrl: 'https://a.test', query: { sort_key: 'x' } }, {})).toBeNull();
  });

  it('move from a synchronisation’s settings to its own secrets, leaving placeholders', () => {
    const config = { headers: { 'X-Api-Key': 'K', Cookie: '***' }, query: { token: 'T' } };
    // The source's own secret header went over the synchronisation's value: it was never sent.
    expect(moveSyncPlainValues(config, {}, { 'header:x-api-key': 'GIVEN' })).toEqual({
      config: { headers: { Cookie: '***' }, query: { token: '***' } },
      secrets: { 'query:token': 'T' },
    });
    expect(moveSyncPlainValues({ headers: { Cookie: '***' } }, {}, {})).toBeNull();
  });
});
