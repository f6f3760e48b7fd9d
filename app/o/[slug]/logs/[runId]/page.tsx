// One run's log: its result and message, counts and facts, per-object entries, and live progress
// while it is still going.
import type { Metadata } from 'next';
import { NoAccess } from '@/app/_components/no-access';
import { loadOrgPage } from '@/app/_lib/org-page';
import { orgRecordOr404 } from '@/app/_lib/org-record';
import { loadRun } from '@/server/services/runs';
import { RunView } from './run-view';

export const metadata: Metadata = { title: 'Run log' };

export default async function RunPage({ params }: { params: Promise<{ slug: string; runId: string }> }) {
  const { slug, runId } = await params;
  const { membership, allowed } = await loadOrgPage(slug, `/logs/${runId}`);
  if (!allowed('runs.read')) return <NoAccess page="Logs" role={membership.role} />;
  await orgRecordOr404((db) => loadRun(db, membership.orgId, runId));
  return <RunView runId={runId} />;
}
