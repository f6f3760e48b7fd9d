// Organisations and the caller's memberships of them.
import { and, asc, eq } from 'drizzle-orm';
import type { Db, Tx } from '../db/client';
import { memberships, organisations, type Role } from '../db/schema';

export function slugify(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
  return base || 'org';
}

async function freeSlug(db: Db | Tx, name: string): Promise<string> {
  const base = slugify(name);
  for (let n = 1; ; n++) {
    const slug = n === 1 ? base : `${base}-${n}`;
    const [taken] = await db
      .select({ id: organisations.id })
      .from(organisations)
      .where(eq(organisations.slug, slug));
    if (!taken) return slug;
  }
}

export async function createOrganisation(db: Db | Tx, ownerId: string, name: string) {
  const slug = await freeSlug(db, name);
  const [org] = await db.insert(organisations).values({ name: name.trim(), slug }).returning();
  if (!org) throw new Error('organisation insert returned nothing');
  await db.insert(memberships).values({ orgId: org.id, userId: ownerId, role: 'owner' });
  return org;
}

export interface OrgMembership {
  orgId: string;
  slug: string;
  name: string;
  role: Role;
}

export async function listOrganisationsOf(db: Db, userId: string): Promise<OrgMembership[]> {
  return db
    .select({
      orgId: organisations.id,
      slug: organisations.slug,
      name: organisations.name,
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.orgId))
    .where(eq(memberships.userId, userId))
    .orderBy(asc(organisations.name));
}

/** The caller's membership of one organisation, by id or slug; undefined for non-members. */
export async function findMembership(
  db: Db,
  userId: string,
  org: { id: string } | { slug: string },
): Promise<OrgMembership | undefined> {
  const orgFilter = 'id' in org ? eq(organisations.id, org.id) : eq(organisations.slug, org.slug);
  const [row] = await db
    .select({
      orgId: organisations.id,
      slug: organisations.slug,
      name: organisations.name,
      role: memberships.role,
    })
    .from(memberships)
    .innerJoin(organisations, eq(organisations.id, memberships.orgId))
    .where(and(eq(memberships.userId, userId), orgFilter));
  return row;
}

export async function renameOrganisation(db: Db, orgId: string, name: string) {
  const [org] = await db
    .update(organisations)
    .set({ name: name.trim() })
    .where(eq(organisations.id, orgId))
    .returning();
  return org;
}
