// A json-server peer holding three people, started afresh for each test, and a libSQL file for the test
// file: what the two-way tests against a REST API share, with the peer's view of what it was sent.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { startJsonServer, type JsonServer } from '../helpers/json-server';
import { countRequests } from '../helpers/push-setup';

export type Person = { id: number | string; name: string; email: string; city?: string; updatedAt?: string };

export const crew = (): Person[] => [
  { id: 1, name: 'Ada', email: 'ada@example.test', city: 'Leiden' },
  { id: 2, name: 'Bob', email: 'bob@example.test', city: 'Utrecht' },
  { id: 3, name: 'Cy', email: 'cy@example.test', city: 'Delft' },
];

/** Registers the hooks; the returned object's `db` and `peer` are the current ones. */
export function restPeerFixture() {
  let db: TestDatabase | undefined;
  let peer: JsonServer | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await peer?.stop();
    await db?.close();
  });
  const freshPeer = async () => {
    await peer?.stop();
    peer = await startJsonServer({ people: crew() });
  };
  beforeEach(freshPeer);
  const fixture = {
    /** A new peer holding the three people again (the next test gets one anyway). */
    freshPeer,
    get db(): TestDatabase {
      return db!;
    },
    get peer(): JsonServer {
      return peer!;
    },
    people: async () => (await (await fetch(`${fixture.peer.url}/people`)).json()) as Person[],
    patch: (id: number | string, body: Partial<Person>) =>
      fetch(`${fixture.peer.url}/people/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    /** The requests the peer received that were not reads, by method and path. */
    writes: async () => {
      const counted = countRequests(await fixture.peer.requests());
      return Object.fromEntries(Object.entries(counted).filter(([request]) => !request.startsWith('GET ')));
    },
    clearRequests: () => fetch(`${fixture.peer.url}/__requests`, { method: 'DELETE' }),
  };
  return fixture;
}
