// The fast source (test/fixtures/fast-source/server.mjs) as a test peer: json-server's Link-header
// pages answered from memory, optionally held back, with the requests it served.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, spawnPeer, type PeerRequest } from './peer-process';

export interface FastSource {
  url: string;
  /** The requests served so far, oldest first. */
  requests(): Promise<PeerRequest[]>;
  stop(): Promise<void>;
}

export interface FastSourceOptions {
  /** Each answer held back this long (a slow source). */
  delayMs?: number;
  /** Headers sent at once, the body this much later (a source whose headers arrive early). */
  bodyDelayMs?: number;
}

export async function startFastSource(
  data: Record<string, unknown[]>,
  options: FastSourceOptions = {},
): Promise<FastSource> {
  const dir = mkdtempSync(path.join(tmpdir(), 'concord-fast-source-'));
  const file = path.join(dir, 'db.json');
  writeFileSync(file, JSON.stringify(data));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const args = [path.resolve('test/fixtures/fast-source/server.mjs'), file, '--port', String(port)];
  if (options.delayMs) args.push('--delay', String(options.delayMs));
  if (options.bodyDelayMs) args.push('--body-delay', String(options.bodyDelayMs));
  const peer = await spawnPeer('the fast source', args, `${url}/__requests`);
  return {
    url,
    requests: async () => (await (await fetch(`${url}/__requests`)).json()) as PeerRequest[],
    stop: async () => {
      await peer.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
