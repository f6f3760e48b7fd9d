import type { Metadata } from 'next';
import { NoAccess } from '@/app/_components/no-access';
import { PageHeader } from '@/app/_components/ui';
import { loadOrgPage } from '@/app/_lib/org-page';
import { InviteCard } from './invite-card';
import { MemberList } from './member-list';

export const metadata: Metadata = { title: 'Members' };

export default async function MembersPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { user, membership, allowed } = await loadOrgPage(slug, '/members');
  if (!allowed('members.manage')) return <NoAccess page="Members" role={membership.role} />;
  return (
    <>
      <PageHeader
        title="Members"
        description="Who can see and change this organisation’s synchronisations."
      />
      <div className="space-y-6">
        <InviteCard />
        <MemberList selfUserId={user.id} />
      </div>
    </>
  );
}
