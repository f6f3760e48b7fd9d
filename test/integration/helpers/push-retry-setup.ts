// What the push-retry tests share: a fresh json-server with no people as the target of a register pushed
// out to it (push-setup.ts), a person created in the register through the API, and the push
// synchronisation's runs, oldest first.
import type { Db } from '@/server/db/client';
import { startJsonServer, type JsonServer } from './json-server';
import { registerToRest } from './push-setup';

export async function pushToPeer(db: Db, peers: JsonServer[]) {
  const peer = await startJsonServer({ people: [] });
  peers.push(peer);
  const s = await registerToRest(db, peer.url);
  const create = (name: string, data: Record<string, unknown> = {}) =>
    s.api.registers.createObject({
      orgId: s.orgId,
      schemaId: s.schema.id,
      data: { name, email: `${name.toLowerCase()}@example.test`, ...data },
    });
  const runs = async () =>
    (await s.api.runs.list({ orgId: s.orgId, syncId: s.push.id })).map((r) => r.run).reverse();
  return { peer, s, create, runs };
}
