// json-server 0.17 as a real REST peer in its own process: a copy of the given data in a temp folder,
// an unusual free port, and a fault middleware for the failures a healthy server never produces.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, spawnPeer, type PeerProcess, type PeerRequest } from './peer-process';

export interface Fault {
  path: string;
  method?: string;
  page?: number;
  status?: number;
  body?: unknown;
  headers?: Record<string, string>;
  times?: number;
  /** Only for requests whose JSON body contains this text (one object among several). */
  whenBodyHas?: string;
  /** The request reaches json-server (a POST creates the object); only its answer is replaced. */
  passThrough?: boolean;
  /** With `passThrough`: the write lands, then the connection breaks before the answer leaves. */
  cutOff?: boolean;
}

export interface JsonServer {
  url: string;
  /** The collections as json-server has persisted them. */
  read(): Record<string, unknown[]>;
  faults(faults: Fault[]): Promise<void>;
  clearFaults(): Promise<void>;
  /** The requests served so far (the control endpoints excepted), oldest first. */
  requests(): Promise<PeerRequest[]>;
  /** An outage: the process ends, its data stays; nothing listens on its port until `up()`. */
  down(): Promise<void>;
  /** Back on the same port with the data it had (its faults and request log start empty). */
  up(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `data`: the collections, and singular resources (objects, answered as stored). `args`: extra
 * json-server options, e.g. `['--delay', '50']` for a slow peer.
 */
export async function startJsonServer(
  data: Record<string, unknown[] | Record<string, unknown>>,
  args: string[] = [],
): Promise<JsonServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'concord-json-server-'));
  const file = path.join(dir, 'db.json');
  writeFileSync(file, JSON.stringify(data));
  const port = await freePort();
  const bin = path.resolve('node_modules/json-server/lib/cli/bin.js');
  const middleware = path.resolve('test/fixtures/json-server/faults.cjs');
  const url = `http://127.0.0.1:${port}`;
  const spawnServer = () =>
    spawnPeer(
      'json-server',
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
      `${url}/db`,
    );
  let peer: PeerProcess | null = await spawnServer();
  // Retried when the socket fetch kept alive was closed by json-server as it was reused (its idle
  // timeout, hit on a loaded machine): that request never reached it.
  const control = async (method: string, body?: unknown) => {
    for (let attempt = 1; ; attempt++) {
      try {
        await fetch(`${url}/__faults`, {
          method,
          headers: { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        return;
      } catch (error) {
        const code = (error as { cause?: { code?: string } }).cause?.code;
        if (attempt >= 3 || code !== 'UND_ERR_SOCKET') throw error;
      }
    }
  };
  return {
    url,
    read: () => JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown[]>,
    faults: (faults) => control('POST', faults),
    clearFaults: () => control('DELETE'),
    requests: async () => {
      const res = await fetch(`${url}/__requests`);
      return (await res.json()) as PeerRequest[];
    },
    down: async () => {
      await peer?.stop();
      peer = null;
    },
    up: async () => {
      peer ??= await spawnServer();
    },
    stop: async () => {
      await peer?.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
