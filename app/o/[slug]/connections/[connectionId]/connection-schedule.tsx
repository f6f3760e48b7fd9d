'use client';
// One cron schedule for the whole connection: when it is due, every enabled member runs.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Button, Card, ErrorText, Field, Input } from '@/app/_components/ui';
import { formatTime } from '@/app/_lib/format';
import { errorIssues, errorMessage, useTRPC } from '@/app/_lib/trpc';
import { useOrg } from '@/app/_lib/org-context';

interface Props {
  connection: {
    id: string;
    scheduleCron: string | null;
    scheduleTimezone: string;
    nextRunAt: Date | string | null;
  };
}

export function ConnectionSchedule({ connection }: Props) {
  const trpc = useTRPC();
  const org = useOrg();
  const queryClient = useQueryClient();
  const [cron, setCron] = useState(connection.scheduleCron ?? '');
  const [timezone, setTimezone] = useState(connection.scheduleTimezone);
  const save = useMutation(
    trpc.connections.setSchedule.mutationOptions({
      onSuccess: () => void queryClient.invalidateQueries({ queryKey: trpc.connections.get.queryKey() }),
    }),
  );
  const issues = errorIssues(save.error);
  const at = (field: string) => issues.find((i) => i.field === field)?.message ?? null;
  const editable = org.can('syncs.write');

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate({
      orgId: org.orgId,
      connectionId: connection.id,
      scheduleCron: cron.trim() || null,
      scheduleTimezone: timezone.trim() || 'UTC',
    });
  }

  return (
    <Card title="Schedule">
      <form onSubmit={submit} className="space-y-3">
        <p className="text-sm text-slate-600">
          {connection.scheduleCron
            ? `Runs every data type on “${connection.scheduleCron}” (${connection.scheduleTimezone}); next run ${formatTime(connection.nextRunAt)}.`
            : 'Not scheduled: the data types run when someone presses Run all (or on their own schedules).'}
        </p>
        {editable && (
          <>
            <div className="grid gap-3 md:grid-cols-2">
              <Field
                label="Cron expression"
                hint="0 * * * * is every hour; empty: no schedule"
                error={at('scheduleCron')}
              >
                <Input value={cron} onChange={(e) => setCron(e.target.value)} placeholder="0 * * * *" />
              </Field>
              <Field label="Time zone" error={at('scheduleTimezone')}>
                <Input value={timezone} onChange={(e) => setTimezone(e.target.value)} />
              </Field>
            </div>
            {issues.length === 0 && <ErrorText>{save.error ? errorMessage(save.error) : null}</ErrorText>}
            <Button type="submit" disabled={save.isPending}>
              Save schedule
            </Button>
          </>
        )}
      </form>
    </Card>
  );
}
