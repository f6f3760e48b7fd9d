// json-server 0.17 as the real REST peer, in its own process: writes db.json, starts on a free port,
// waits until it answers, and stops (the same approach as test/integration/helpers/json-server.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { COLLECTION } from './config';

export interface Peer {
  url: string;
  port: number;
  /** CPU seconds json-server has used so far (Linux /proc), or null elsewhere. */
  cpuSeconds: () => number | null;
  stop(): Promise<void>;
}

// utime and stime are fields 14 and 15 of /proc/<pid>/stat, in clock ticks (100 per second on Linux).
const TICKS_PER_SECOND = 100;

function processCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

export function writeDb(file: string, items: unknown[]): void {
  writeFileSync(file, JSON.stringify({ [COLLECTION]: items }));
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitFor(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`json-server exited: ${output()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`json-server did not start within 60 s: ${output()}`);
}

/**
 * Starts json-server on `file` (which it persists to, though the bench only reads). Restart on the same
 * port to keep the synchronisation's source unchanged (editing the source is not what is measured).
 */
export async function startPeer(root: string, file: string, port?: number): Promise<Peer> {
  const bin = path.join(root, 'node_modules/json-server/lib/cli/bin.js');
  if (!existsSync(bin)) throw new Error(`json-server is not installed (${bin}); run npm install first.`);
  port ??= await freePort();
  const child = spawn(
    process.execPath,
    [bin, file, '--port', String(port), '--host', '127.0.0.1', '--quiet'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitFor(`${url}/${COLLECTION}?_page=1&_limit=1`, child, () => output);
  } catch (error) {
    child.kill();
    throw error;
  }
  return {
    url,
    port,
    cpuSeconds: () => processCpuSeconds(child.pid),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill();
      await exited;
    },
  };
}
