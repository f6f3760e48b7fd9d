// An API key acts for the person who created it: it stops when they leave the organisation (or are
// removed, or their account goes), or when their role no longer holds what its scopes need — 401 or 403
// with the reason, on /api/v1 and on the trigger endpoint — and the key list says so. Giving the
// role back brings the key back.
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '@/server/db/schema';
import { callerFor, createMember, createOwner } from '../../factories';
import { createTestDatabase, type TestDatabase } from '../helpers/database';
import { raw, useDatabase } from './client';

let db: TestDatabase;
let owner: Awaited<ReturnType<typeof createOwner>>;
let ownerApi: ReturnType<typeof callerFor>;
const orgId = () => owner.org.id;

beforeAll(async () => {
  db = await createTestDatabase();
  await useDatabase(db);
  owner = await createOwner(db.db);
  ownerApi = callerFor(db.db, owner.user);
});
afterAll(() => db.close());

/** A new admin of the organisation, their membership id and a key they create with `scopes`. */
async function adminWithKey(scopes: ('read' | 'write' | 'run' | 'admin')[]) {
  const person = await createMember(db.db, orgId(), owner.user.id, 'admin');
  const members = await ownerApi.members.list({ orgId: orgId() });
  const membershipId = members.find((m) => m.userId === person.id)!.id;
  const { key, id } = await callerFor(db.db, person).apiKeys.create({ orgId: orgId(), name: 'etl', scopes });
  return { person, membershipId, key, keyId: id };
}

const listed = async (keyId: string) =>
  (await ownerApi.apiKeys.list({ orgId: orgId() })).find((k) => k.id === keyId)!;

/** The trigger endpoint (app/api/syncs/[syncId]/run), called with the key. */
async function trigger(key: string) {
  const { POST } = await import('@/app/api/syncs/[syncId]/run/route');
  const req = new Request('http://127.0.0.1/api/syncs/syn_none/run', {
    method: 'POST',
    headers: { authorization: `Bearer ${key}` },
  });
  const res = await POST(req, { params: Promise.resolve({ syncId: 'syn_none' }) });
  return { status: res.status, body: (await res.json()) as { error: string } };
}

describe('a key whose creator leaves', () => {
  it('answers 401 saying its creator is no longer a member, and the list shows it stopped', async () => {
    const { person, key, keyId } = await adminWithKey(['read', 'run']);
    expect((await raw('GET', '/registers', { key })).status).toBe(200);
    expect((await listed(keyId)).stopped).toBeNull();

    await callerFor(db.db, person).organisation.leave({ orgId: orgId() });

    const res = await raw('GET', '/registers', { key });
    expect(res.status).toBe(401);
    expect((res.body as { detail: string }).detail).toMatch(
      /no longer works: the person who created it is no longer a member of the organisation/,
    );
    const run = await trigger(key);
    expect(run.status).toBe(401);
    expect(run.body.error).toMatch(/no longer a member/);
    expect((await listed(keyId)).stopped).toMatch(/no longer a member/);
  });

  it('stops as well when an admin removes them, and when their account is deleted', async () => {
    const removed = await adminWithKey(['read']);
    await ownerApi.members.remove({ orgId: orgId(), membershipId: removed.membershipId });
    expect((await raw('GET', '/key', { key: removed.key })).status).toBe(401);

    const deleted = await adminWithKey(['read']);
    await db.db.delete(users).where(eq(users.id, deleted.person.id));
    const res = await raw('GET', '/key', { key: deleted.key });
    expect(res.status).toBe(401);
    expect((res.body as { detail: string }).detail).toMatch(
      /account of the person who created it was deleted/,
    );
    expect((await listed(deleted.keyId)).stopped).toMatch(/account .* was deleted/);
  });
});

describe('a key whose creator is downgraded', () => {
  it('answers 403 naming the scope their new role lacks, and works again when the role comes back', async () => {
    const { membershipId, key, keyId } = await adminWithKey(['read', 'write']);
    await ownerApi.members.changeRole({ orgId: orgId(), membershipId, role: 'viewer' });

    const res = await raw('GET', '/registers', { key });
    expect(res.status).toBe(403);
    expect((res.body as { detail: string }).detail).toMatch(
      /no longer works: the person who created it is now a viewer, a role without the permissions of its "write" scope/,
    );
    expect((await listed(keyId)).stopped).toMatch(/now a viewer/);

    await ownerApi.members.changeRole({ orgId: orgId(), membershipId, role: 'editor' });
    expect((await raw('GET', '/registers', { key })).status).toBe(200);
    expect((await listed(keyId)).stopped).toBeNull();
  });

  it('keeps working while the new role still holds its scopes; an admin key needs an admin or owner', async () => {
    const reader = await adminWithKey(['read']);
    await ownerApi.members.changeRole({ orgId: orgId(), membershipId: reader.membershipId, role: 'viewer' });
    expect((await raw('GET', '/registers', { key: reader.key })).status).toBe(200);

    const admin = await adminWithKey(['admin']);
    await ownerApi.members.changeRole({ orgId: orgId(), membershipId: admin.membershipId, role: 'editor' });
    const res = await raw('GET', '/registers', { key: admin.key });
    expect(res.status).toBe(403);
    expect((res.body as { detail: string }).detail).toMatch(/now an editor, .* its "admin" scope/);
    const run = await trigger(admin.key);
    expect(run.status).toBe(403);
  });
});

describe('a key someone else rotates', () => {
  it('acts for the person who rotated it, so it stops when they leave', async () => {
    const { key: ownerKey, id: keyId } = await ownerApi.apiKeys.create({
      orgId: orgId(),
      name: 'owner etl',
      scopes: ['read'],
    });
    const admin = await createMember(db.db, orgId(), owner.user.id, 'admin');
    const rotated = await callerFor(db.db, admin).apiKeys.rotate({ orgId: orgId(), keyId, graceSeconds: 0 });
    expect((await raw('GET', '/registers', { key: rotated.key })).status).toBe(200);
    expect((await raw('GET', '/registers', { key: ownerKey })).status).toBe(401);

    // The admin leaves with the secret they were given: it must not keep working through the owner.
    const membershipId = (await ownerApi.members.list({ orgId: orgId() })).find(
      (m) => m.userId === admin.id,
    )!.id;
    await ownerApi.members.remove({ orgId: orgId(), membershipId });
    const res = await raw('GET', '/registers', { key: rotated.key });
    expect(res.status).toBe(401);
    expect((res.body as { detail: string }).detail).toMatch(/no longer a member/);
    expect((await listed(keyId)).actsFor).toBe(admin.name);
  });
});
