// The batch target (test/fixtures/batch-target/server.mjs) as a test peer: batch create and update
// endpoints that refuse a whole batch holding an object without an email, that answer `null` for an
// update of an object they do not hold (or hide) and for a create they decline, and that can play signed
// out.
import path from 'node:path';
import { freePort, spawnPeer, type PeerRequest } from './peer-process';

export interface BatchTarget {
  url: string;
  /** The people it holds now. */
  people(): Promise<Record<string, unknown>[]>;
  /** The requests served so far, oldest first; `count` is the number of objects in a batch. */
  requests(): Promise<(PeerRequest & { count: number | null })[]>;
  /** Credentials no longer accepted (`true`): every write is redirected to a login page, none is made. */
  signedOut(on: boolean): Promise<void>;
  /** Credentials refused (`true`): every write is answered 401, none is made. */
  unauthorized(on: boolean): Promise<void>;
  /**
   * Batch updates of the people with these ids are not made, and answered `null` — or `answer`, an error
   * entry (`[]`: none hidden).
   */
  hide(ids: readonly (string | number)[], answer?: Record<string, unknown>): Promise<void>;
  /** Batch creates of objects with these emails are answered `null` and not made (`[]`: none). */
  decline(emails: readonly string[]): Promise<void>;
  /** The next `times` batch creates are made, and their connection closed before the answer leaves. */
  cutOff(times: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startBatchTarget(): Promise<BatchTarget> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const script = path.resolve('test/fixtures/batch-target/server.mjs');
  const peer = await spawnPeer('the batch target', [script, '--port', String(port)], `${url}/__requests`);
  const get = async <T>(at: string) => (await (await fetch(`${url}${at}`)).json()) as T;
  return {
    url,
    people: () => get('/people'),
    requests: () => get('/__requests'),
    signedOut: async (on) => {
      await fetch(`${url}/__signed-out`, { method: 'POST', body: JSON.stringify({ on }) });
    },
    unauthorized: async (on) => {
      await fetch(`${url}/__unauthorized`, { method: 'POST', body: JSON.stringify({ on }) });
    },
    hide: async (ids, answer) => {
      await fetch(`${url}/__hidden`, { method: 'POST', body: JSON.stringify({ ids, answer }) });
    },
    decline: async (emails) => {
      await fetch(`${url}/__declined`, { method: 'POST', body: JSON.stringify({ emails }) });
    },
    cutOff: async (times) => {
      await fetch(`${url}/__cut-off`, { method: 'POST', body: JSON.stringify({ times }) });
    },
    stop: () => peer.stop(),
  };
}
