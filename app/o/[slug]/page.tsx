import type { Metadata } from 'next';
import Link from 'next/link';
import { Card, PageHeader } from '@/app/_components/ui';
import { loadOrgPage } from '@/app/_lib/org-page';
import { OverviewView } from './_overview/overview-view';

export const metadata: Metadata = { title: 'Overview' };

const ROLE_SUMMARY = {
  owner: 'You can do everything here, including managing members and ownership.',
  admin: 'You can configure and run synchronisations and manage members.',
  editor: 'You can configure sources, mappings and synchronisations and run them.',
  viewer: 'You can see everything in this organisation but change nothing.',
} as const;

export default async function OverviewPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { membership, allowed } = await loadOrgPage(slug);
  return (
    <>
      <PageHeader
        title={membership.name}
        description="How every synchronisation is doing, and what needs you."
      />
      <OverviewView />
      <div className="mt-4 grid gap-4 md:grid-cols-2">
        <Card title="Your role">
          <p className="text-sm text-slate-700">
            <strong className="capitalize">{membership.role}</strong> — {ROLE_SUMMARY[membership.role]}
          </p>
        </Card>
        {allowed('members.manage') && (
          <Card title="Your team">
            <p className="text-sm text-slate-700">
              Invite colleagues with a link and give each a role.{' '}
              <Link className="font-medium text-indigo-700 hover:underline" href={`/o/${slug}/members`}>
                Manage members
              </Link>
            </p>
          </Card>
        )}
      </div>
    </>
  );
}
