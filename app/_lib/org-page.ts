// Server-side: the caller's membership of the organisation in the URL (404 for non-members).
import { notFound } from 'next/navigation';
import { can, type Permission } from '@/server/auth/permissions';
import { getDb } from '@/server/db/client';
import { findMembership } from '@/server/services/organisations';
import { requireUser } from './server-session';

export async function loadOrgPage(slug: string, path = '') {
  const user = await requireUser(`/o/${slug}${path}`);
  const membership = await findMembership(getDb(), user.id, { slug });
  if (!membership) notFound();
  return { user, membership, allowed: (p: Permission) => can(membership.role, p) };
}
