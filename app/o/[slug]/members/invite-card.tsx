'use client';
// Invitation links: there is no mail server, so the new link is shown once, to copy and send.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Card, ErrorText, Input, Select } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';

const INVITABLE = ['viewer', 'editor', 'admin'] as const;

export function InviteCard() {
  const trpc = useTRPC();
  const org = useOrg();
  const queryClient = useQueryClient();
  const [role, setRole] = useState<(typeof INVITABLE)[number]>('viewer');
  const [link, setLink] = useState<string | null>(null);
  const pending = useQuery(trpc.members.invitations.queryOptions({ orgId: org.orgId }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.members.invitations.queryKey() });
  const invite = useMutation(
    trpc.members.invite.mutationOptions({
      onSuccess: (created) => {
        setLink(`${window.location.origin}${created.path}`);
        void refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.members.revokeInvitation.mutationOptions({ onSuccess: refresh }));

  return (
    <Card title="Invite by link">
      <div className="flex flex-wrap items-end gap-3">
        <label className="text-sm">
          <span className="mb-1 block font-medium text-slate-700">Role</span>
          <Select
            aria-label="Role for the invitation"
            value={role}
            onChange={(e) => setRole(e.target.value as typeof role)}
          >
            {INVITABLE.map((r) => (
              <option key={r}>{r}</option>
            ))}
          </Select>
        </label>
        <Button disabled={invite.isPending} onClick={() => invite.mutate({ orgId: org.orgId, role })}>
          Create invitation link
        </Button>
      </div>
      <ErrorText>
        {invite.error ? errorMessage(invite.error) : revoke.error ? errorMessage(revoke.error) : null}
      </ErrorText>
      {link && (
        <div className="mt-4 space-y-1">
          <p className="text-sm text-slate-700">
            Send this link to the person you invite. It works once and expires in 7 days.
          </p>
          <div className="flex gap-2">
            <Input
              readOnly
              value={link}
              aria-label="Invitation link"
              onFocus={(e) => e.currentTarget.select()}
            />
            <Button variant="secondary" onClick={() => void navigator.clipboard?.writeText(link)}>
              Copy
            </Button>
          </div>
        </div>
      )}
      {pending.data && pending.data.length > 0 && (
        <div className="mt-4">
          <h3 className="mb-2 text-xs font-semibold uppercase text-slate-500">Open invitations</h3>
          <ul className="divide-y divide-slate-100 text-sm">
            {pending.data.map((inv) => (
              <li key={inv.id} className="flex items-center justify-between py-2">
                <span>
                  {inv.role} · by {inv.createdBy ?? 'someone'} · expires {inv.expiresAt.toLocaleDateString()}
                  {inv.stopped && <span className="block text-xs text-red-700">{inv.stopped}</span>}
                </span>
                <Button
                  variant="ghost"
                  onClick={() => revoke.mutate({ orgId: org.orgId, invitationId: inv.id })}
                >
                  Revoke
                </Button>
              </li>
            ))}
          </ul>
        </div>
      )}
    </Card>
  );
}
