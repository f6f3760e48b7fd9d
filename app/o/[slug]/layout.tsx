import type { ReactNode } from 'react';
import { loadOrgPage } from '@/app/_lib/org-page';
import { OrgProvider } from '@/app/_lib/org-context';
import { Shell } from '@/app/_components/shell';
import { PERMISSIONS } from '@/server/auth/permissions';
import { getDb } from '@/server/db/client';
import { listOrganisationsOf } from '@/server/services/organisations';

export const dynamic = 'force-dynamic';

export default async function OrgLayout({
  children,
  params,
}: {
  children: ReactNode;
  params: Promise<{ slug: string }>;
}) {
  const { slug } = await params;
  const { user, membership, allowed } = await loadOrgPage(slug);
  const organisations = await listOrganisationsOf(getDb(), user.id);
  return (
    <OrgProvider
      value={{
        orgId: membership.orgId,
        slug: membership.slug,
        name: membership.name,
        role: membership.role,
        permissions: PERMISSIONS.filter(allowed),
      }}
    >
      <Shell user={user} organisations={organisations}>
        {children}
      </Shell>
    </OrgProvider>
  );
}
