'use client';
// What a system the hub feeds receives (seed 004's unsubscribe list): paused, objects left out, fields
// never sent. The subscription itself stays; each problem is shown at its field.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, ErrorText, Field, Textarea } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorIssues, useTRPC } from '@/app/_lib/trpc';
import type { HubSubscriber } from './types';

type List = NonNullable<HubSubscriber['unsubscribe']>;

const lines = (text: string) =>
  text
    .split(/[\n,]/)
    .map((line) => line.trim())
    .filter((line) => line !== '');

export function UnsubscribeForm({
  syncId,
  value,
  onDone,
}: {
  syncId: string;
  value: List;
  onDone: () => void;
}) {
  const trpc = useTRPC();
  const org = useOrg();
  const queryClient = useQueryClient();
  const [paused, setPaused] = useState(value.paused);
  const [objectIds, setObjectIds] = useState(value.objectIds.join('\n'));
  const [fields, setFields] = useState(value.fields.join('\n'));
  const save = useMutation(
    trpc.hub.setUnsubscribe.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.hub.get.pathKey() });
        onDone();
      },
    }),
  );
  const issues = errorIssues(save.error);
  const at = (field: string) =>
    issues
      .filter((i) => i.field === `unsubscribe.${field}` || i.field.startsWith(`unsubscribe.${field}.`))
      .map((i) => i.message)
      .join(' ') || null;
  const other = issues.filter((i) => !i.field.startsWith('unsubscribe.'));

  return (
    <form
      className="mt-2 space-y-3"
      aria-label="What it receives"
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({
          orgId: org.orgId,
          syncId,
          unsubscribe: { paused, objectIds: lines(objectIds), fields: lines(fields) },
        });
      }}
    >
      <label className="flex items-start gap-2">
        <input
          type="checkbox"
          checked={paused}
          onChange={(e) => setPaused(e.target.checked)}
          className="mt-1"
        />
        <span>
          <span className="font-medium text-slate-700">Paused</span>
          <span className="block text-xs text-slate-500">
            Receives nothing while paused. Changes made meanwhile are not queued for it and are not delivered
            later; to catch up after resuming, run the synchronisation.
          </span>
        </span>
      </label>
      <Field
        label="Objects it does not receive"
        hint="One per line: a register object id, or the object's id as this synchronisation reads it."
        error={at('objectIds')}
      >
        <Textarea rows={2} value={objectIds} onChange={(e) => setObjectIds(e.target.value)} />
      </Field>
      <Field
        label="Fields never sent to it"
        hint="One per line (dot paths, as the target receives them). A change of only these fields sends nothing. A target updated with whole objects (PUT) may drop what it holds in them."
        error={at('fields')}
      >
        <Textarea rows={2} value={fields} onChange={(e) => setFields(e.target.value)} />
      </Field>
      <ErrorText>{other.map((i) => i.message).join(' ') || null}</ErrorText>
      <div className="flex gap-2">
        <Button type="submit" disabled={save.isPending}>
          Save
        </Button>
        <Button variant="secondary" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
