// .ci/ensure-chromium.sh waits for another apt process instead of failing on its lock. Its apt_get runs
// real apt-get commands that change nothing — `install` of no package (dpkg's lock) and `update` from
// no sources (the package lists' lock) — against a throw-away apt state, while a second process holds
// those locks as apt does; the command finishes after the holder lets go, and succeeds.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const holder = fileURLToPath(new URL('hold-lock.pl', import.meta.url));
let state: string;
let options: string[];

beforeAll(() => {
  state = mkdtempSync(path.join(tmpdir(), 'concord-apt-'));
  for (const dir of ['dpkg', 'lists/partial', 'archives/partial', 'cache', 'sources.list.d'])
    mkdirSync(path.join(state, dir), { recursive: true });
  writeFileSync(path.join(state, 'dpkg/status'), '');
  // Every place apt reads or writes, in the throw-away folder: the machine's apt state is not touched.
  options = [
    `Dir::State::status=${state}/dpkg/status`,
    `Dir::State::Lists=${state}/lists`,
    `Dir::Cache=${state}/cache`,
    `Dir::Cache::archives=${state}/archives`,
    'Dir::Cache::pkgcache=',
    'Dir::Cache::srcpkgcache=',
    'Dir::Etc::sourcelist=/dev/null',
    `Dir::Etc::sourceparts=${state}/sources.list.d`,
  ].flatMap((o) => ['-o', o]);
});
afterAll(() => rmSync(state, { recursive: true, force: true }));

/** Runs `apt_get <args>` from .ci/apt-wait.sh; resolves with its exit code, output and `events`. */
function aptGet(args: string[], events: string[]) {
  return new Promise<{ code: number | null; stderr: string }>((resolve) => {
    const child = spawn('bash', ['-c', '. .ci/apt-wait.sh && apt_get "$@"', 'apt_get', ...options, ...args], {
      cwd: root,
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => {
      events.push('apt-get finished');
      resolve({ code, stderr });
    });
  });
}

/** Holds `locks` (paths in the throw-away state) for two seconds; resolves once they are held. */
function hold(locks: string[], events: string[]) {
  const child = spawn('perl', [holder, '2', ...locks.map((l) => path.join(state, l))]);
  const done = new Promise<void>((resolve) => child.on('close', () => resolve()));
  const held = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.stdout.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n').filter(Boolean)) {
        events.push(line);
        if (line === 'locked') resolve();
      }
    });
  });
  return { held, done };
}

describe('apt_get of .ci/apt-wait.sh', () => {
  it('waits for the dpkg lock another process holds, then installs', async () => {
    const events: string[] = [];
    const lock = hold(['dpkg/lock-frontend', 'dpkg/lock'], events);
    await lock.held;
    const result = await aptGet(['install', '-y'], events);
    await lock.done;
    expect(result.code, result.stderr).toBe(0);
    expect(events).toEqual(['locked', 'released', 'apt-get finished']);
  });

  it('waits for the package lists lock of `apt-get update`, which apt itself does not wait for', async () => {
    const events: string[] = [];
    const lock = hold(['lists/lock'], events);
    await lock.held;
    const result = await aptGet(['update'], events);
    await lock.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('Another apt process holds its lock; waiting for it');
    expect(events).toEqual(['locked', 'released', 'apt-get finished']);
  });

  it('fails at once, with apt’s reason, on anything but a lock', async () => {
    const result = await aptGet(['install', '-y', 'no-such-package-concord'], []);
    expect(result.code).toBe(100);
    expect(result.stderr).toContain('Unable to locate package no-such-package-concord');
    expect(result.stderr).not.toContain('waiting');
  });

  it('is what ensure-chromium.sh installs Chromium with', () => {
    const script = readFileSync(path.join(root, '.ci/ensure-chromium.sh'), 'utf8');
    expect(script).toContain('. "$(dirname "$0")/apt-wait.sh"');
    expect(script).toMatch(/^apt_get update/m);
    expect(script).toMatch(/^apt_get install -y -qq chromium/m);
    expect(script).not.toMatch(/^\s*\$SUDO apt-get/m);
  });
});
