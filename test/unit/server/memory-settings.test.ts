import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_V8_FLAGS,
  MALLOC_DEFAULTS,
  serverEnv,
  v8Flags,
} from '../../../server/cli/memory-settings.mjs';

describe('the V8 flags npm start runs the server with', () => {
  it('are the defaults unless CONCORD_V8_FLAGS replaces them; empty means none', () => {
    expect(v8Flags({})).toEqual(DEFAULT_V8_FLAGS);
    expect(v8Flags({ CONCORD_V8_FLAGS: '--heap-growing-percent=30  --max-semi-space-size=8' })).toEqual([
      '--heap-growing-percent=30',
      '--max-semi-space-size=8',
    ]);
    expect(v8Flags({ CONCORD_V8_FLAGS: '' })).toEqual([]);
  });

  it('refuse what is not a flag, naming it (a server would not start with it)', () => {
    expect(() => v8Flags({ CONCORD_V8_FLAGS: '--heap-growing-percent=60 ; rm -rf /' })).toThrow(
      /";" is not a V8 flag/,
    );
    expect(() => v8Flags({ CONCORD_V8_FLAGS: 'heap-growing-percent=60' })).toThrow(/CONCORD_V8_FLAGS/);
  });

  it('are flags this Node accepts (a typo would stop npm start with "bad option")', () => {
    const run = spawnSync(process.execPath, [...DEFAULT_V8_FLAGS, '-e', 'process.exit(0)'], {
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});

describe('the malloc settings npm start gives the server', () => {
  it('fill in what the environment does not set, and leave what it sets', () => {
    expect(serverEnv({ PORT: '3000' })).toEqual({ PORT: '3000', ...MALLOC_DEFAULTS });
    expect(serverEnv({ MALLOC_MMAP_THRESHOLD_: '65536' }).MALLOC_MMAP_THRESHOLD_).toBe('65536');
    expect(serverEnv({ MALLOC_MMAP_THRESHOLD_: '65536' }).MALLOC_TRIM_THRESHOLD_).toBe('131072');
  });
});
