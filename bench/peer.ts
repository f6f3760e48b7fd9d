// The REST peers the benchmark reads, each in its own process: the fast source (pages pre-serialised in
// memory, never the bottleneck: what Concord itself costs shows) and json-server 0.17 (a realistic,
// slower peer). Both page with a Link header and log the requests they serve, so the benchmark counts
// what the source felt, not only what Concord reports.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { freePort, spawnPeer } from '../test/integration/helpers/peer-process';
import { COLLECTION, PAGE_SIZE } from './config';

export type PeerKind = 'fast' | 'json-server';

export const PEER_LABELS: Record<PeerKind, string> = {
  fast: 'fast source (test/fixtures/fast-source: pages pre-serialised in memory, child process)',
  'json-server': 'json-server 0.17.4 (child process)',
};

export interface Peer {
  kind: PeerKind;
  url: string;
  port: number;
  /** CPU seconds the peer has used so far (Linux /proc), or null elsewhere. */
  cpuSeconds: () => number | null;
  /** Listing requests (GETs of the collection) served since the peer started. */
  listingRequests(): Promise<number>;
  stop(): Promise<void>;
}

function command(kind: PeerKind, root: string, file: string, port: number): string[] {
  if (kind === 'fast')
    return [
      path.join(root, 'test/fixtures/fast-source/server.mjs'),
      file,
      '--port',
      String(port),
      '--limit',
      String(PAGE_SIZE),
    ];
  const bin = path.join(root, 'node_modules/json-server/lib/cli/bin.js');
  if (!existsSync(bin)) throw new Error(`json-server is not installed (${bin}); run npm install first.`);
  // The tests' middleware logs every request (GET /__requests); the benchmark only counts them.
  const log = path.join(root, 'test/fixtures/json-server/faults.cjs');
  return [bin, file, '--port', String(port), '--host', '127.0.0.1', '--quiet', '--middlewares', log];
}

/**
 * Starts the peer on `file` (a json-server db.json). Restart on the same port to keep the
 * synchronisation's source unchanged (editing the source is not what is measured).
 */
export async function startPeer(kind: PeerKind, root: string, file: string, port?: number): Promise<Peer> {
  port ??= await freePort();
  const url = `http://127.0.0.1:${port}`;
  const peer = await spawnPeer(
    kind,
    command(kind, root, file, port),
    `${url}/${COLLECTION}?_page=1&_limit=1`,
  );
  const listingRequests = async () => {
    const served = (await (await fetch(`${url}/__requests`)).json()) as { method: string; url: string }[];
    return served.filter((r) => r.method === 'GET' && r.url.startsWith(`/${COLLECTION}?`)).length;
  };
  return { kind, url, port, cpuSeconds: peer.cpuSeconds, listingRequests, stop: peer.stop };
}
