'use client';
// One leg of the hub: the system on the other end, the synchronisation and its mappings, the last run
// and the leg's health, and — for a system the hub feeds — what it unsubscribed from.
import Link from 'next/link';
import { useState } from 'react';
import { Badge, Button } from '@/app/_components/ui';
import { formatTime } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { ResultBadge } from '../../../synchronisations/_components/run-badges';
import type { HubSubscriber } from './types';
import { UnsubscribeForm } from './unsubscribe-form';

const KIND_LABELS = { pull: 'Pull', push: 'Push', 'two-way': 'Two-way' } as const;

export function LegCard({ leg, side }: { leg: HubSubscriber; side: 'in' | 'out' }) {
  const org = useOrg();
  const [editing, setEditing] = useState(false);
  const unsubscribed = side === 'out' ? leg.unsubscribe : null;
  return (
    <article
      className="rounded-lg border border-slate-200 bg-white p-3 text-sm shadow-sm"
      data-testid="hub-leg"
      data-side={side}
      aria-label={`${leg.system.name}: ${leg.name}`}
    >
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-semibold text-slate-900">{leg.system.name}</span>
        <span className="text-xs text-slate-500">{leg.system.type.toUpperCase()}</span>
        <Badge tone="blue">{KIND_LABELS[leg.kind]}</Badge>
        {!leg.enabled && <Badge>Disabled</Badge>}
        {unsubscribed?.paused && <Badge tone="amber">Paused</Badge>}
      </div>
      <p className="mt-1 truncate">
        <Link
          className="text-indigo-700 hover:underline"
          href={`/o/${org.slug}/synchronisations/${leg.syncId}`}
        >
          {leg.name}
        </Link>
        {leg.mappings.length > 0 && (
          <span className="text-slate-500"> · mapping {leg.mappings.join(', ')}</span>
        )}
      </p>
      <div className="mt-2 flex flex-wrap items-center gap-2" data-testid="hub-leg-run">
        {leg.lastRun ? (
          <>
            <ResultBadge result={leg.lastRun.result} />
            <Link className="text-slate-600 hover:underline" href={`/o/${org.slug}/logs/${leg.lastRun.id}`}>
              last run {formatTime(leg.lastRun.at)}
            </Link>
          </>
        ) : null}
        <HealthText health={leg.health} />
      </div>
      {unsubscribed && (
        <div className="mt-2 border-t border-slate-100 pt-2">
          <p className="text-xs text-slate-600" data-testid="hub-leg-unsubscribe">
            {describeUnsubscribe(unsubscribed)}
          </p>
          {org.can('syncs.write') &&
            (editing ? (
              <UnsubscribeForm syncId={leg.syncId} value={unsubscribed} onDone={() => setEditing(false)} />
            ) : (
              <Button variant="ghost" className="mt-1 px-0 text-xs" onClick={() => setEditing(true)}>
                Change what it receives
              </Button>
            ))}
        </div>
      )}
    </article>
  );
}

function HealthText({ health }: { health: HubSubscriber['health'] }) {
  if (health.state === 'never-run') return <span className="text-slate-500">Never run</span>;
  if (health.state === 'ok') return <span className="text-green-700">Healthy</span>;
  return <span className="font-medium text-red-700">Failing since {formatTime(health.since)}</span>;
}

function describeUnsubscribe(list: NonNullable<HubSubscriber['unsubscribe']>): string {
  if (list.paused) return 'Paused: receives no changes.';
  const parts: string[] = [];
  if (list.objectIds.length > 0)
    parts.push(`${list.objectIds.length} ${list.objectIds.length === 1 ? 'object' : 'objects'} left out`);
  if (list.fields.length > 0) parts.push(`never sent: ${list.fields.join(', ')}`);
  return parts.length === 0 ? 'Receives every change.' : `Receives changes, ${parts.join('; ')}.`;
}
