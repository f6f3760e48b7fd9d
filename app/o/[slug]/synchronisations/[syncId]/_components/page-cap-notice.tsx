'use client';
// Says so when the last run stopped at the page cap (its listing incomplete, nothing deleted), with
// the way to raise it: a run that keeps hitting the cap would otherwise never finish a listing.
import Link from 'next/link';
import { formatCount } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { maxPagesOf } from '@/server/sync/config/sync-config';
import { formFromSync } from '../../_lib/form-state';
import { pageCapToRaise } from '../../_lib/page-cap';
import type { RunRow, SyncRow } from '../../_lib/types';

export function PageCapNotice({ sync, runs }: { sync: SyncRow; runs: readonly RunRow[] | undefined }) {
  const org = useOrg();
  const chosen = formFromSync(sync).maxPages;
  const cap = runs ? pageCapToRaise(runs, maxPagesOf({ maxPages: chosen ? Number(chosen) : null })) : null;
  if (cap === null) return null;
  return (
    <section className="rounded-lg border border-amber-300 bg-amber-50 p-4" data-testid="page-cap-notice">
      <h2 className="text-sm font-semibold text-amber-900">
        The last run stopped at the page cap of {formatCount(cap)} pages
      </h2>
      <p className="mt-1 text-sm text-amber-900">
        The source had more pages, so the listing was incomplete and nothing was deleted. Raise Max pages in
        the settings to read the whole source.{' '}
        {org.can('syncs.write') ? (
          <Link
            className="font-medium text-indigo-700 hover:underline"
            href={`/o/${org.slug}/synchronisations/${sync.id}/edit`}
          >
            Raise Max pages
          </Link>
        ) : (
          'Someone who may edit this synchronisation can raise it.'
        )}
      </p>
    </section>
  );
}
