'use client';
// What happens around a run: the synchronisations that run after it (follow-ups, in the same test or
// force mode) and whether it runs only once.
import { useQuery } from '@tanstack/react-query';
import { Input } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { useTRPC } from '@/app/_lib/trpc';
import type { SectionProps } from '../_lib/form-state';
import { FormField, FormSection } from './form-field';

export function FollowUpSection({ state, set, errorFor, syncId }: SectionProps & { syncId?: string }) {
  const trpc = useTRPC();
  const org = useOrg();
  const list = useQuery(trpc.synchronisations.list.queryOptions({ orgId: org.orgId }));
  const others = (list.data ?? []).map((r) => r.sync).filter((s) => s.id !== syncId);
  const toggle = (id: string, on: boolean) =>
    set({ followUpIds: on ? [...state.followUpIds, id] : state.followUpIds.filter((f) => f !== id) });
  const followUpError = errorFor('followUpIds');

  return (
    <FormSection
      title="Follow-ups and one-time"
      description="Follow-ups run after a run of this synchronisation that ends in success or a warning, in the same test or force mode; not after an error or a cancellation."
    >
      <div className="space-y-1 md:col-span-2" role="group" aria-label="Follow-ups">
        <p className="text-sm font-medium text-slate-700">Follow-ups</p>
        {others.length === 0 ? (
          <p className="text-xs text-slate-500">
            {list.isPending
              ? 'Loading the synchronisations…'
              : 'No other synchronisation to follow up with yet.'}
          </p>
        ) : (
          <ul className="grid gap-1 md:grid-cols-2">
            {others.map((s) => (
              <li key={s.id}>
                <label className="flex items-center gap-2 text-sm text-slate-700">
                  <input
                    type="checkbox"
                    className="h-4 w-4 rounded border-slate-300"
                    checked={state.followUpIds.includes(s.id)}
                    onChange={(e) => toggle(s.id, e.target.checked)}
                  />
                  {s.name}
                  {!s.enabled && <span className="text-xs text-slate-500">(disabled)</span>}
                </label>
              </li>
            ))}
          </ul>
        )}
        {followUpError ? (
          <p data-testid="field-error" className="text-xs font-medium text-red-700">
            {followUpError}
          </p>
        ) : (
          <p className="text-xs text-slate-500">
            Each starts when this one ends (several may run side by side); a loop (A → B → A) is refused.
          </p>
        )}
      </div>
      <label className="flex items-center gap-2 self-end pb-2 text-sm text-slate-700">
        <input
          type="checkbox"
          className="h-4 w-4 rounded border-slate-300"
          checked={state.oneTime}
          onChange={(e) => set({ oneTime: e.target.checked })}
        />
        One-time: run once, then disable itself
      </label>
      {state.oneTime && (
        <FormField
          label="Run at"
          hint="Empty: it runs when you start it (the Run button or the trigger endpoint)."
          error={errorFor('runOnceAt')}
        >
          <Input
            type="datetime-local"
            value={state.runOnceAt}
            onChange={(e) => set({ runOnceAt: e.target.value })}
          />
        </FormField>
      )}
    </FormSection>
  );
}
