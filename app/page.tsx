import { redirect } from 'next/navigation';
import { getDb } from '@/server/db/client';
import { listOrganisationsOf } from '@/server/services/organisations';
import { requireUser } from './_lib/server-session';

export const dynamic = 'force-dynamic';

// The front door: your first organisation, or the page to create one.
export default async function Home() {
  const user = await requireUser('/');
  const [first] = await listOrganisationsOf(getDb(), user.id);
  redirect(first ? `/o/${first.slug}` : '/orgs/new');
}
