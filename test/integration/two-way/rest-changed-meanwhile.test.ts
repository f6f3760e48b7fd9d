// A two-way write-back to a REST source racing a change made there: a node:http API whose person 1 is
// renamed by someone right after Concord's listing (an API without ETags), or right after Concord reads
// the object again before writing (an API with strong ETags, which checks If-Match). Either way the
// register's update or deletion must not land on the changed object — that change would be lost — but
// be refused as changed meanwhile; the next run sees both sides' changes, a conflict for a person.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { restTwoWay } from './setup';

type Person = { id: number; name: string; email: string; city: string };

interface Peer {
  url: string;
  people: Map<number, Person & { version: number }>;
  /** Called once, after the answer to the first request that matches (method and path). */
  after(request: string, change: () => void): void;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text ? (JSON.parse(text) as Record<string, unknown>) : {};
}

/** A people API; with `etags`, each object carries a strong ETag and writes honour If-Match. */
async function startPeer(etags: boolean): Promise<Peer> {
  const people = new Map<number, Person & { version: number }>();
  for (const [id, name, city] of [
    [1, 'Ada', 'Leiden'],
    [2, 'Bob', 'Utrecht'],
  ] as const)
    people.set(id, { id, name, email: `${name.toLowerCase()}@example.test`, city, version: 1 });
  const hooks: { request: string; change: () => void }[] = [];
  const plain = ({ version: _version, ...person }: Person & { version: number }) => person;
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = (req.url ?? '').split('?')[0] ?? '';
      const request = `${req.method} ${path}`;
      const send = (status: number, value?: unknown, headers: Record<string, string> = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', ...headers });
        res.end(value === undefined ? undefined : JSON.stringify(value));
        for (const hook of hooks.filter((h) => h.request === request)) {
          hooks.splice(hooks.indexOf(hook), 1);
          hook.change();
        }
      };
      if (req.method === 'GET' && path === '/people') return send(200, [...people.values()].map(plain));
      const match = /^\/people\/(\d+)$/.exec(path);
      const person = match ? people.get(Number(match[1])) : undefined;
      if (!person) return send(404, { error: 'not found' });
      const etag = `"v${person.version}"`;
      const tag: Record<string, string> = etags ? { etag } : {};
      if (req.method === 'GET') return send(200, plain(person), tag);
      const ifMatch = req.headers['if-match'];
      if (etags && ifMatch !== undefined && ifMatch !== etag) return send(412, { error: 'changed' });
      if (req.method === 'DELETE') {
        people.delete(person.id);
        return send(204);
      }
      const sent = await body(req);
      const next = { ...person, ...sent, id: person.id, version: person.version + 1 } as Person & {
        version: number;
      };
      people.set(person.id, next);
      return send(200, plain(next), etags ? { etag: `"v${next.version}"` } : {});
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    people,
    after: (request, change) => hooks.push({ request, change }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.close();
});

describe.each([
  { etags: false, when: 'GET /people', what: 'renamed right after the listing (no ETags)' },
  { etags: true, when: 'GET /people/1', what: 'renamed right after the read before the write (If-Match)' },
])('a REST source whose object is $what', ({ etags, when }) => {
  let peer: Peer;
  beforeAll(async () => {
    peer = await startPeer(etags);
  });
  afterAll(async () => {
    await peer?.close();
  });

  it('keeps the change at the source, and the next run holds both changes as a conflict', async () => {
    const s = await restTwoWay(
      db.db,
      peer.url,
      { conflictPolicy: 'manual' },
      { deleteThreshold: 1, deleteMode: 'hard' },
    );
    expect(await s.run()).toMatchObject({ result: 'success', created: 2 });
    const objects = await s.registerObjects();
    const ada = objects.find((o) => o.data.name === 'Ada')!;
    const bob = objects.find((o) => o.data.name === 'Bob')!;
    // The register moves Ada and deletes Bob; at the source, someone renames Ada and moves Bob meanwhile.
    await s.api.registers.updateObject({
      orgId: s.orgId,
      objectId: ada.id,
      version: ada.version,
      data: { ...ada.data, city: 'Amsterdam' },
    });
    await s.api.registers.deleteObject({ orgId: s.orgId, objectId: bob.id });
    const rename = () => {
      peer.people.set(1, { ...peer.people.get(1)!, name: 'Ada Lovelace', version: 7 });
    };
    const move = () => {
      peer.people.set(2, { ...peer.people.get(2)!, city: 'Gouda', version: 7 });
    };
    peer.after(when, rename);
    peer.after(when === 'GET /people' ? when : 'GET /people/2', move);

    const raced = await s.run();
    const { rows: entries } = await s.api.runs.entries({ orgId: s.orgId, runId: raced.id });
    const failed = entries.filter((e) => e.action === 'failed').map((e) => e.reason);
    expect(failed).toHaveLength(2);
    for (const reason of failed) expect(reason).toContain('changed at the source after this run read it');
    // Nothing was lost at the source: Ada renamed (not moved), Bob moved (not deleted).
    expect(peer.people.get(1)).toMatchObject({ name: 'Ada Lovelace', city: 'Leiden' });
    expect(peer.people.get(2)).toMatchObject({ name: 'Bob', city: 'Gouda' });

    const next = await s.run();
    expect(next.message).toContain('2 conflicts wait for a person');
    expect(peer.people.get(1)).toMatchObject({ name: 'Ada Lovelace', city: 'Leiden' });
    expect(peer.people.get(2)).toMatchObject({ city: 'Gouda' });
  });
});
