import type { Metadata } from 'next';
import { requireUser } from '@/app/_lib/server-session';
import { Card } from '@/app/_components/ui';
import { NewOrganisationForm } from './new-organisation-form';

export const metadata: Metadata = { title: 'New organisation' };
export const dynamic = 'force-dynamic';

export default async function NewOrganisationPage() {
  await requireUser('/orgs/new');
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <Card title="Create an organisation">
          <NewOrganisationForm />
        </Card>
      </div>
    </main>
  );
}
