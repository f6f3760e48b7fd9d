import type { Metadata } from 'next';
import { PageHeader } from '@/app/_components/ui';
import { loadOrgPage } from '@/app/_lib/org-page';
import { ApiKeysCard } from './api-keys-card';
import { DeleteOrganisationCard } from './delete-organisation-card';
import { OrganisationSettings } from './organisation-settings';
import { WebhookEndpointsCard } from './webhook-endpoints-card';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  const { allowed } = await loadOrgPage(slug, '/settings');
  return (
    <>
      <PageHeader
        title="Settings"
        description="This organisation’s name, your membership, API keys and notification webhooks."
      />
      <OrganisationSettings />
      {allowed('apiKeys.manage') && <ApiKeysCard />}
      {allowed('notifications.manage') && <WebhookEndpointsCard />}
      {allowed('org.delete') && <DeleteOrganisationCard />}
    </>
  );
}
