'use client';
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import type { FormEvent } from 'react';
import { ConfirmButton } from '@/app/_components/dialogs';
import { Button, Card, ErrorText, Field, Input } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { formText } from '@/app/_lib/form';

export function OrganisationSettings() {
  const trpc = useTRPC();
  const org = useOrg();
  const router = useRouter();
  const rename = useMutation(trpc.organisation.rename.mutationOptions({ onSuccess: () => router.refresh() }));
  const leave = useMutation(
    trpc.organisation.leave.mutationOptions({ onSuccess: () => router.replace('/') }),
  );

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    rename.mutate({ orgId: org.orgId, name: formText(new FormData(event.currentTarget), 'name') });
  }

  return (
    <div className="space-y-6">
      <Card title="Organisation">
        <form onSubmit={submit} className="flex flex-wrap items-end gap-3">
          <div className="min-w-64 flex-1">
            <Field label="Name">
              <Input
                name="name"
                defaultValue={org.name}
                disabled={!org.can('org.manage')}
                required
                maxLength={100}
              />
            </Field>
          </div>
          {org.can('org.manage') && (
            <Button type="submit" disabled={rename.isPending}>
              Save
            </Button>
          )}
        </form>
        {rename.isSuccess && <p className="mt-2 text-sm text-green-700">Saved.</p>}
        <ErrorText>{rename.error ? errorMessage(rename.error) : null}</ErrorText>
      </Card>
      <Card title="Leave organisation">
        <p className="mb-3 text-sm text-slate-600">
          You lose access to {org.name} until someone invites you again.
        </p>
        <ErrorText>{leave.error ? errorMessage(leave.error) : null}</ErrorText>
        <ConfirmButton
          variant="danger"
          disabled={leave.isPending}
          title={`Leave ${org.name}?`}
          confirmLabel="Leave"
          onConfirm={() => leave.mutate({ orgId: org.orgId })}
        >
          Leave {org.name}
        </ConfirmButton>
      </Card>
    </div>
  );
}
