'use client';
// The danger zone: an owner deletes the organisation with everything it holds, confirming by typing
// its name (the server checks it again: services/organisation-delete.ts).
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import { Button, Card, ErrorText, Field, Input } from '@/app/_components/ui';
import { problemsAt } from '@/app/_lib/field-errors';
import { useOrg } from '@/app/_lib/org-context';
import { errorIssues, useTRPC } from '@/app/_lib/trpc';

const WHAT_GOES = [
  'sources and their secrets, and the files uploaded to them',
  'registers, their schemas and objects',
  'mappings, synchronisations and their schedules, contracts and record history',
  'runs and their logs; a run under way stops before its next step',
  'API keys (they stop working at once), invitation links and memberships',
  'notifications and webhook endpoints',
];

export function DeleteOrganisationCard() {
  const trpc = useTRPC();
  const org = useOrg();
  const router = useRouter();
  const [typed, setTyped] = useState('');
  // The front door takes the person to another organisation of theirs, or to the page to create one.
  const remove = useMutation(
    trpc.organisation.delete.mutationOptions({ onSuccess: () => router.replace('/') }),
  );
  const issues = errorIssues(remove.error);
  const atField = problemsAt(issues, ['confirm']);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    remove.mutate({ orgId: org.orgId, confirm: typed });
  }

  return (
    <div className="mt-6">
      <Card title="Delete organisation">
        <form onSubmit={submit} className="space-y-3" aria-label="Delete organisation">
          <p className="text-sm text-slate-600">
            Deleting {org.name} deletes everything it holds, for every member, and cannot be undone:
          </p>
          <ul className="list-disc space-y-1 pl-5 text-sm text-slate-600">
            {WHAT_GOES.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          <p className="text-sm text-slate-600">
            The systems Concord synchronised with keep what was written to them. Members keep their accounts
            and their other organisations.
          </p>
          <div className="max-w-md">
            <Field label={`Type the organisation's name, ${org.name}, to confirm`} error={atField}>
              <Input
                name="confirm"
                value={typed}
                onChange={(event) => setTyped(event.target.value)}
                autoComplete="off"
                spellCheck={false}
              />
            </Field>
          </div>
          {!atField && <ErrorText>{remove.error ? issues.map((i) => i.message).join(' ') : null}</ErrorText>}
          <Button
            type="submit"
            variant="dangerSolid"
            disabled={remove.isPending || typed.trim() !== org.name}
          >
            {remove.isPending ? 'Deleting…' : `Delete ${org.name}`}
          </Button>
        </form>
      </Card>
    </div>
  );
}
