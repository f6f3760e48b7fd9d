// json-server 0.17 as a real REST peer in its own process: a copy of the given data in a temp folder,
// an unusual free port, and a fault middleware for the failures a healthy server never produces.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface Fault {
  path: string;
  method?: string;
  page?: number;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  times?: number;
}

export interface JsonServer {
  url: string;
  /** The collections as json-server has persisted them. */
  read(): Record<string, unknown[]>;
  faults(faults: Fault[]): Promise<void>;
  clearFaults(): Promise<void>;
  /** The requests served so far (the control endpoints excepted), oldest first. */
  requests(): Promise<{ method: string; url: string }[]>;
  stop(): Promise<void>;
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
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`json-server exited: ${output()}`);
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`json-server did not start: ${output()}`);
}

/** `args`: extra json-server options, e.g. `['--delay', '50']` for a slow peer. */
export async function startJsonServer(
  data: Record<string, unknown[]>,
  args: string[] = [],
): Promise<JsonServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'concord-json-server-'));
  const file = path.join(dir, 'db.json');
  writeFileSync(file, JSON.stringify(data));
  const port = await freePort();
  const bin = path.resolve('node_modules/json-server/lib/cli/bin.js');
  const middleware = path.resolve('test/fixtures/json-server/faults.cjs');
  const child = spawn(
    process.execPath,
    [
      bin,
      file,
      '--port',
      String(port),
      '--host',
      '127.0.0.1',
      '--quiet',
      '--middlewares',
      middleware,
      ...args,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitFor(`${url}/db`, child, () => output);
  const control = (method: string, body?: unknown) =>
    fetch(`${url}/__faults`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(() => undefined);
  return {
    url,
    read: () => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown[]>,
    faults: (faults) => control('POST', faults),
    clearFaults: () => control('DELETE'),
    requests: async () => {
      const res = await fetch(`${url}/__requests`);
      return (await res.json()) as { method: string; url: string }[];
    },
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill();
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
