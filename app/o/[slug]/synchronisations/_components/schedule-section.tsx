'use client';
// The cron schedule and its time zone, described in words with the next runs as you type.
import { useQuery } from '@tanstack/react-query';
import { Input } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { browserTimeZone, formatTime } from '@/app/_lib/format';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import type { SectionProps } from '../_lib/form-state';
import { useDebounced } from '../_lib/use-debounced';
import { FormField, FormSection } from './form-field';

const EXAMPLES = ['*/15 * * * *', '0 * * * *', '0 6 * * 1-5', '30 2 * * 0'];

function timeZones(): string[] {
  try {
    return Intl.supportedValuesOf('timeZone');
  } catch {
    return ['UTC'];
  }
}

export function ScheduleSection({ state, set, errorFor }: SectionProps) {
  const trpc = useTRPC();
  const org = useOrg();
  const cron = useDebounced(state.scheduleCron.trim());
  const timezone = useDebounced(state.scheduleTimezone.trim() || 'UTC');
  const described = useQuery({
    ...trpc.synchronisations.describeSchedule.queryOptions({ orgId: org.orgId, cron, timezone }),
    enabled: cron !== '',
    retry: false,
  });
  const problem = described.error ? errorMessage(described.error) : null;
  return (
    <FormSection
      title="Schedule"
      description="Runs on this cron schedule when enabled; empty means only on demand."
    >
      <FormField
        label="Cron expression"
        hint={`Minute hour day month weekday, e.g. ${EXAMPLES.join(' · ')}`}
        error={errorFor('scheduleCron')}
      >
        <Input
          value={state.scheduleCron}
          placeholder="*/15 * * * *"
          spellCheck={false}
          onChange={(e) => set({ scheduleCron: e.target.value })}
        />
      </FormField>
      <FormField label="Time zone" error={errorFor('scheduleTimezone')}>
        <Input
          list="concord-time-zones"
          value={state.scheduleTimezone}
          onChange={(e) => set({ scheduleTimezone: e.target.value })}
        />
        <datalist id="concord-time-zones">
          {timeZones().map((zone) => (
            <option key={zone} value={zone} />
          ))}
        </datalist>
      </FormField>
      <div className="md:col-span-2" aria-live="polite" data-testid="schedule-description">
        {cron === '' ? (
          <p className="text-sm text-slate-500">No schedule: runs only when started.</p>
        ) : problem ? (
          <p className="text-sm text-red-700">{problem}</p>
        ) : described.data ? (
          <div className="rounded-md bg-indigo-50 px-3 py-2 text-sm text-indigo-900">
            <p className="font-medium">{described.data.words}</p>
            <p className="mt-1 text-xs">
              Next runs, in your time ({browserTimeZone()}):{' '}
              {described.data.nextRuns.map((d) => formatTime(d)).join(' · ') || 'none'}
            </p>
          </div>
        ) : (
          <p className="text-sm text-slate-500">Reading the schedule…</p>
        )}
      </div>
    </FormSection>
  );
}
