'use client';
// Reading only what changed (REST and SQL sources): the updated-at field whose values are the cursor,
// for a REST API the query that asks for changes, the lookback, and when a full reconciliation runs.
import { Input } from '@/app/_components/ui';
import type { SectionProps } from '../_lib/form-state';
import { FormField, FormSection } from './form-field';

export function IncrementalSection({ state, set, errorFor, kind }: SectionProps) {
  const sql = kind.type === 'sql';
  const on = state.incremental;
  return (
    <FormSection
      title="Incremental reading"
      description="Read only what changed since the last run, by the source's own updated-at values. Incremental runs delete nothing they did not read (only sub-objects taken out of an object they read); a full reconciliation run lists everything and deletes under the deletion rules."
    >
      <label className="flex items-center gap-2 text-sm text-slate-700 md:col-span-2">
        <input
          type="checkbox"
          className="h-4 w-4 rounded border-slate-300"
          checked={on}
          onChange={(e) => set({ incremental: e.target.checked })}
        />
        Read incrementally
      </label>
      {on && (
        <>
          <FormField
            label={sql ? 'Updated-at column *' : 'Updated-at field *'}
            hint={
              sql
                ? 'A column of dates, times or numbers that grows when a row changes, e.g. updated_at.'
                : 'Dot path to each object’s last-change value, e.g. updatedAt or meta.modified.'
            }
            error={errorFor('sourceConfig.incremental.field')}
          >
            <Input
              value={state.incrementalField}
              placeholder={sql ? 'updated_at' : 'updatedAt'}
              onChange={(e) => set({ incrementalField: e.target.value })}
            />
          </FormField>
          {!sql && (
            <FormField
              label="Changes query *"
              hint={
                <>
                  The query parameters that ask the API for changes; <code>{'{{cursor}}'}</code> is the
                  cursor, e.g. <code>{'updated_since={{cursor}}'}</code>.
                </>
              }
              error={errorFor('sourceConfig.incremental.query')}
            >
              <Input
                value={state.incrementalQuery}
                spellCheck={false}
                placeholder="updated_since={{cursor}}"
                onChange={(e) => set({ incrementalQuery: e.target.value })}
              />
            </FormField>
          )}
          <FormField
            label="Lookback (seconds)"
            hint="Read this much before the cursor again, for changes committed late. A number field: in its own unit. Empty: 0."
            error={errorFor('sourceConfig.incremental.lookbackSeconds')}
          >
            <Input
              inputMode="numeric"
              value={state.incrementalLookback}
              placeholder="0"
              onChange={(e) => set({ incrementalLookback: e.target.value })}
            />
          </FormField>
          <FormField
            label="Full reconciliation every … runs"
            hint="Every Nth run lists everything and deletes what vanished. Empty: only on its schedule or on request."
            error={errorFor('sourceConfig.incremental.reconcileEveryRuns')}
          >
            <Input
              inputMode="numeric"
              value={state.reconcileEveryRuns}
              placeholder="e.g. 24"
              onChange={(e) => set({ reconcileEveryRuns: e.target.value })}
            />
          </FormField>
          <FormField
            label="Full reconciliation schedule"
            hint="A cron expression in the schedule’s time zone, e.g. 0 3 * * 0 (Sundays at 03:00). Empty: none."
            error={errorFor('sourceConfig.incremental.reconcileCron')}
          >
            <Input
              value={state.reconcileCron}
              spellCheck={false}
              placeholder="0 3 * * 0"
              onChange={(e) => set({ reconcileCron: e.target.value })}
            />
          </FormField>
        </>
      )}
    </FormSection>
  );
}
