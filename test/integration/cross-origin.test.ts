// Route handlers that act with the session cookie refuse requests from other origins: a form on
// another port or subdomain of the same host gets the SameSite=Lax cookie, and used to add a file
// version to a source. Concord's own pages and clients that are not browsers go ahead.
import type * as NextAuth from 'next-auth';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { POST as upload } from '@/app/api/orgs/[orgId]/sources/[sourceId]/file/route';
import { POST as trpc } from '@/app/api/trpc/[trpc]/route';
import { startSession } from '@/server/auth/sessions';
import { callerFor, createOwner } from '../factories';
import { createTestDatabase, type TestDatabase } from './helpers/database';

// The signed-in owner's session, as next-auth reads it from the cookie the browser sent along.
const session = vi.hoisted(() => ({ userId: '', sessionId: '' }));
vi.mock('next-auth', async (importOriginal) => ({
  ...(await importOriginal<typeof NextAuth>()),
  getServerSession: vi.fn(() =>
    Promise.resolve({ userId: session.userId, sessionId: session.sessionId, expires: '' }),
  ),
}));

let db: TestDatabase;
let owner: Awaited<ReturnType<typeof createOwner>>;
let sourceId: string;
beforeAll(async () => {
  db = await createTestDatabase();
  // The route handlers use the process-wide database.
  vi.spyOn(await import('@/server/db/client'), 'getDb').mockReturnValue(db.db);
  owner = await createOwner(db.db);
  session.userId = owner.user.id;
  session.sessionId = await startSession(db.db, owner.user.id);
  const source = await callerFor(db.db, owner.user).sources.create({
    orgId: owner.org.id,
    name: 'Uploads',
    type: 'file',
    config: { format: 'csv', csv: {} },
  });
  sourceId = source.id;
});
afterAll(() => db.close());

const SELF = 'http://concord.test';

function post(headers: Record<string, string>) {
  const request = new Request(`${SELF}/api/orgs/${owner.org.id}/sources/${sourceId}/file`, {
    method: 'POST',
    body: 'id,name\n1,Mallory\n',
    headers: { 'content-type': 'text/csv', 'x-file-name': 'planted.csv', ...headers },
  });
  return upload(request, { params: Promise.resolve({ orgId: owner.org.id, sourceId }) });
}

const versions = () => callerFor(db.db, owner.user).sources.files({ orgId: owner.org.id, sourceId });

describe('the file upload', () => {
  it('refuses a form posted from another origin, and stores nothing', async () => {
    for (const origin of ['http://concord.test:8080', 'http://evil.concord.test', 'null']) {
      const response = await post({ origin, 'sec-fetch-site': 'same-site' });
      expect([origin, response.status]).toEqual([origin, 403]);
      expect(await response.json()).toEqual({
        error: 'This request came from another site. Use Concord’s own pages, or an API key.',
      });
    }
    // A browser that sends no Origin still says where the request came from.
    expect((await post({ 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect(await versions()).toEqual([]);
  });

  it('takes an upload from Concord’s own page, and from a client that is not a browser', async () => {
    expect((await post({ origin: SELF, 'sec-fetch-site': 'same-origin' })).status).toBe(201);
    expect((await post({})).status).toBe(201);
    expect((await versions()).map((v) => v.version)).toEqual([2, 1]);
  });
});

describe('the tRPC endpoint', () => {
  it('refuses a mutation posted from another origin before reading it', async () => {
    const request = new Request(`${SELF}/api/trpc/organisation.leave`, {
      method: 'POST',
      body: JSON.stringify({ json: { orgId: owner.org.id } }),
      headers: { 'content-type': 'application/json', origin: 'http://evil.concord.test' },
    });
    const response = await trpc(request);
    expect(response.status).toBe(403);
  });

  const sourceCreate = (body: BodyInit, headers: Record<string, string> = {}) =>
    trpc(
      new Request(`${SELF}/api/trpc/sources.create`, {
        method: 'POST',
        body,
        headers: { 'content-type': 'application/json', origin: SELF, ...headers },
        // A stream body is sent without a Content-Length.
        ...(body instanceof ReadableStream ? { duplex: 'half' } : {}),
      }),
    );
  const named = (name: string) =>
    JSON.stringify({
      json: { orgId: owner.org.id, name, type: 'rest', config: { baseUrl: 'https://api.example.test' } },
    });
  const sourceNames = async () =>
    (await callerFor(db.db, owner.user).sources.list({ orgId: owner.org.id })).map((s) => s.name);

  it('refuses a body over its size cap, declared or streamed, and creates nothing', async () => {
    const huge = named('x'.repeat(9 * 1024 * 1024));
    const declared = await sourceCreate(huge);
    expect(declared.status).toBe(413);
    expect(await declared.json()).toEqual({ error: 'The request body is larger than 8 MiB.' });

    // No Content-Length: counted as it arrives and cut off at the cap.
    const bytes = new TextEncoder().encode(huge);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent >= bytes.length) return controller.close();
        controller.enqueue(bytes.subarray(sent, sent + 65_536));
        sent += 65_536;
      },
    });
    expect((await sourceCreate(stream)).status).toBe(413);
    expect(sent).toBeLessThan(bytes.length);
    expect(await sourceNames()).not.toContainEqual(expect.stringMatching(/^x+$/));
  });

  it('takes an ordinary mutation from Concord’s own page', async () => {
    const response = await sourceCreate(named('Within the cap'));
    expect(response.status).toBe(200);
    expect(await sourceNames()).toContain('Within the cap');
  });
});
