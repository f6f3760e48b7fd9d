import { describe, expect, it } from 'vitest';
import { skipVerdict, type SkipInput } from '@/server/sync/core/skip-rule';
import { contract, T, TIMES } from './helpers/factories';

// A contract checked on the last run, for an object whose hash is "h1".
const unchanged: SkipInput = {
  contract: contract({ originId: '1', originHash: 'h1' }),
  originHash: 'h1',
  configChangedAt: TIMES.configChangedAt,
  mappingChangedAt: TIMES.mappingChangedAt,
  force: false,
};

describe('the skip rule', () => {
  it('skips when the origin is unchanged, nothing was edited since the last check, the target is known, not forced', () => {
    expect(skipVerdict(unchanged)).toEqual({ skip: true });
  });

  it('does not skip when the origin hash changed', () => {
    expect(skipVerdict({ ...unchanged, originHash: 'h2' })).toEqual({
      skip: false,
      because: 'origin-changed',
    });
  });

  it('does not skip when the sync was edited after the last check', () => {
    expect(skipVerdict({ ...unchanged, configChangedAt: T('2024-02-15T00:00:00Z') })).toEqual({
      skip: false,
      because: 'config-edited',
    });
  });

  it('does not skip when the mapping was edited after the last check', () => {
    expect(skipVerdict({ ...unchanged, mappingChangedAt: T('2024-02-15T00:00:00Z') })).toEqual({
      skip: false,
      because: 'mapping-edited',
    });
  });

  it('treats an edit in the same millisecond as the check as newer', () => {
    expect(skipVerdict({ ...unchanged, configChangedAt: TIMES.lastRun })).toMatchObject({ skip: false });
  });

  it('does not skip when the contract lacks the target id or the target hash', () => {
    expect(
      skipVerdict({ ...unchanged, contract: contract({ originId: '1', originHash: 'h1', targetId: null }) }),
    ).toEqual({
      skip: false,
      because: 'target-unknown',
    });
    expect(
      skipVerdict({
        ...unchanged,
        contract: contract({ originId: '1', originHash: 'h1', targetHash: null }),
      }),
    ).toEqual({
      skip: false,
      because: 'target-unknown',
    });
  });

  it('does not skip when forced', () => {
    expect(skipVerdict({ ...unchanged, force: true })).toEqual({ skip: false, because: 'forced' });
  });

  it('does not skip an object without a contract', () => {
    expect(skipVerdict({ ...unchanged, contract: null })).toEqual({ skip: false, because: 'no-contract' });
  });

  it('retries contracts whose last write failed or that were invalid, or whose target was deleted', () => {
    for (const status of ['failed', 'invalid', 'deleted'] as const) {
      expect(
        skipVerdict({ ...unchanged, contract: contract({ originId: '1', originHash: 'h1', status }) }),
      ).toEqual({
        skip: false,
        because: 'not-synced',
      });
    }
  });

  it('does not skip a contract never checked', () => {
    expect(
      skipVerdict({
        ...unchanged,
        contract: contract({ originId: '1', originHash: 'h1', sourceLastChecked: null }),
      }),
    ).toMatchObject({
      skip: false,
    });
  });

  it('ignores the mapping date when the sync has no mapping', () => {
    expect(skipVerdict({ ...unchanged, mappingChangedAt: null })).toEqual({ skip: true });
  });
});
