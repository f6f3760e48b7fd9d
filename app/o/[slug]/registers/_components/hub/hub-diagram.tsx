'use client';
// The hub as a picture: systems that feed the schema on the left, the schema in the middle, systems it
// feeds on the right, an arrow per leg. A two-way system is on both sides, with a double arrow. Below
// 768 px the three columns stack: feeds, the schema, fed.
import type { Hub, HubSubscriber } from './types';
import { LegCard } from './leg-card';

export function HubDiagram({ hub }: { hub: Hub }) {
  const feeding = hub.subscribers.filter((s) => s.inbound);
  const fed = hub.subscribers.filter((s) => s.outbound);
  return (
    <div
      className="grid grid-cols-1 items-center gap-4 md:grid-cols-[minmax(0,1fr)_auto_minmax(0,1fr)]"
      data-testid="hub-diagram"
    >
      <Side title="Feed the hub" legs={feeding} side="in" empty="No system feeds this schema." />
      <div className="flex justify-center">
        <div className="rounded-xl border-2 border-indigo-500 bg-indigo-50 px-6 py-5 text-center shadow-sm">
          <p className="text-xs font-medium uppercase tracking-wide text-indigo-700">{hub.register.name}</p>
          <p className="text-lg font-semibold text-slate-900">{hub.schema.name}</p>
          <p className="text-xs text-slate-600">the hub</p>
        </div>
      </div>
      <Side title="Fed by the hub" legs={fed} side="out" empty="The hub feeds no system." />
    </div>
  );
}

function Side({
  title,
  legs,
  side,
  empty,
}: {
  title: string;
  legs: HubSubscriber[];
  side: 'in' | 'out';
  empty: string;
}) {
  return (
    <section aria-label={title} className="space-y-3">
      <h2 className="text-sm font-semibold text-slate-700">{title}</h2>
      {legs.length === 0 && <p className="text-sm text-slate-500">{empty}</p>}
      {legs.map((leg) => (
        <div
          key={leg.syncId}
          className={`flex items-stretch gap-2 md:items-center ${side === 'in' ? 'flex-col md:flex-row' : 'flex-col-reverse md:flex-row-reverse'}`}
        >
          <div className="min-w-0 flex-1">
            <LegCard leg={leg} side={side} />
          </div>
          <Arrow side={side} twoWay={leg.kind === 'two-way'} failing={leg.health.state === 'failing'} />
        </div>
      ))}
    </section>
  );
}

/** Points at the hub on the left and away from it on the right; down when stacked. */
function Arrow({ side, twoWay, failing }: { side: 'in' | 'out'; twoWay: boolean; failing: boolean }) {
  const colour = failing ? 'text-red-500' : 'text-slate-400';
  // Drawn left to right; the right side's arrow sits before its card (row-reverse), so both point right.
  return (
    <svg
      viewBox="0 0 48 16"
      className={`mx-auto h-4 w-12 shrink-0 rotate-90 md:rotate-0 ${colour}`}
      role="img"
      aria-label={twoWay ? 'both ways' : side === 'in' ? 'into the hub' : 'out of the hub'}
    >
      <line x1="4" y1="8" x2="42" y2="8" stroke="currentColor" strokeWidth="2" />
      <polygon points="48,8 40,3 40,13" fill="currentColor" />
      {twoWay && <polygon points="0,8 8,3 8,13" fill="currentColor" />}
    </svg>
  );
}
