'use client';
// What needs a person: failing synchronisations (since when, the last message), held deletions, open
// conflicts, quarantined objects, objects the target refused or did not take yet — each with the link to where it is dealt with.
import Link from 'next/link';
import { Card } from '@/app/_components/ui';
import { formatCount, formatTime } from '@/app/_lib/format';
import type { AttentionItem as Item } from './types';
import { relativeTime } from './relative-time';

function Line({ item, base }: { item: Item; base: string }) {
  const sync = (
    <Link
      className="font-medium text-indigo-700 hover:underline"
      href={`${base}/synchronisations/${item.syncId}`}
    >
      {item.syncName}
    </Link>
  );
  switch (item.kind) {
    case 'failing':
      return (
        <>
          <p className="text-sm text-slate-800">
            {sync} is <strong className="text-red-700">failing since {formatTime(item.since)}</strong>{' '}
            <span className="text-slate-500">({relativeTime(item.since)})</span>
            {item.runId && (
              <>
                {' · '}
                <Link className="text-indigo-700 hover:underline" href={`${base}/logs/${item.runId}`}>
                  Last run’s log
                </Link>
              </>
            )}
          </p>
          {item.message && <p className="mt-0.5 line-clamp-2 text-xs text-slate-600">{item.message}</p>}
        </>
      );
    case 'held':
      return (
        <p className="text-sm text-slate-800">
          {sync}: {formatCount(item.count)} deletion{item.count === 1 ? '' : 's'} held for approval ·{' '}
          <Link className="text-indigo-700 hover:underline" href={`${base}/synchronisations/${item.syncId}`}>
            Approve or reject
          </Link>
        </p>
      );
    case 'conflicts':
      return (
        <p className="text-sm text-slate-800">
          {sync}: {formatCount(item.count)} conflict{item.count === 1 ? '' : 's'} waiting for a person ·{' '}
          <Link className="text-indigo-700 hover:underline" href={`${base}/conflicts?sync=${item.syncId}`}>
            Resolve
          </Link>
        </p>
      );
    case 'quarantined':
      return (
        <p className="text-sm text-slate-800">
          {sync}: {formatCount(item.count)} object{item.count === 1 ? '' : 's'} quarantined (changed back and
          forth too often) ·{' '}
          <Link
            className="text-indigo-700 hover:underline"
            href={`${base}/contracts?sync=${item.syncId}&status=quarantined`}
          >
            Review
          </Link>
        </p>
      );
    case 'refused':
      return (
        <p className="text-sm text-slate-800">
          {sync}: {formatCount(item.count)} object{item.count === 1 ? '' : 's'} refused by the target, sent
          again once {item.count === 1 ? 'it changes' : 'they change'} ·{' '}
          <Link
            className="text-indigo-700 hover:underline"
            href={`${base}/contracts?sync=${item.syncId}&status=rejected`}
          >
            See why
          </Link>
        </p>
      );
    case 'undelivered':
      return (
        <p className="text-sm text-slate-800">
          {sync}: {formatCount(item.count)} object{item.count === 1 ? '' : 's'} not delivered yet (the target
          did not take {item.count === 1 ? 'it' : 'them'}),{' '}
          {item.nextAttemptAt ? (
            item.nextAttemptAt.getTime() <= Date.now() ? (
              <>being tried again now, by itself</>
            ) : (
              <>
                tried again by itself at {formatTime(item.nextAttemptAt)}{' '}
                <span className="text-slate-500">({relativeTime(item.nextAttemptAt)})</span>
              </>
            )
          ) : item.nextRunAt ? (
            <>tried again at the next run ({formatTime(item.nextRunAt)})</>
          ) : (
            <>tried again at the next run, which only comes when someone runs it</>
          )}{' '}
          ·{' '}
          <Link
            className="text-indigo-700 hover:underline"
            href={`${base}/contracts?sync=${item.syncId}&status=failed`}
          >
            See why
          </Link>
          {' · '}
          <Link className="text-indigo-700 hover:underline" href={`${base}/synchronisations/${item.syncId}`}>
            Run it now
          </Link>
        </p>
      );
  }
}

const TONE: Record<Item['kind'], string> = {
  failing: 'border-red-500',
  held: 'border-amber-500',
  conflicts: 'border-amber-500',
  quarantined: 'border-amber-500',
  refused: 'border-amber-500',
  undelivered: 'border-amber-500',
};

export function AttentionCard({ items, base }: { items: Item[]; base: string }) {
  return (
    <Card title="Needs attention">
      {items.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="attention-none">
          Nothing needs you: no synchronisation is failing, no deletion is held, no conflict waits, no object
          stands refused or undelivered.
        </p>
      ) : (
        <ul className="space-y-3" data-testid="attention">
          {items.map((item) => (
            <li key={`${item.kind}-${item.syncId}`} className={`border-l-4 pl-3 ${TONE[item.kind]}`}>
              <Line item={item} base={base} />
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}
