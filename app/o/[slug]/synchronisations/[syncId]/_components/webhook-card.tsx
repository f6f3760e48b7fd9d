'use client';
// The synchronisation's incoming webhook: a URL and a secret token (shown once) that let another
// system push one object to sync now, or an empty POST for a full run.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { ConfirmButton } from '@/app/_components/dialogs';
import { Badge, Button, Card, ErrorText } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { CopyField } from '../../_components/copy-field';

export function WebhookCard({ syncId, enabled }: { syncId: string; enabled: boolean }) {
  const trpc = useTRPC();
  const org = useOrg();
  const queryClient = useQueryClient();
  const [origin, setOrigin] = useState('');
  const [token, setToken] = useState<string | null>(null);
  useEffect(() => setOrigin(window.location.origin), []);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.synchronisations.get.queryKey() });
  const enable = useMutation(
    trpc.synchronisations.enableWebhook.mutationOptions({
      onSuccess: async (created) => {
        setToken(created.token);
        await refresh();
      },
    }),
  );
  const disable = useMutation(
    trpc.synchronisations.disableWebhook.mutationOptions({
      onSuccess: async () => {
        setToken(null);
        await refresh();
      },
    }),
  );
  const url = `${origin}/api/webhooks/${syncId}`;
  const canWrite = org.can('syncs.write');
  const busy = enable.isPending || disable.isPending;
  const curl =
    `curl -X POST ${url} \\\n  -H "X-Concord-Token: ${token ?? 'whk_…'}" \\\n` +
    `  -H "Content-Type: application/json" \\\n  -d '{"id": "42", "name": "An object to sync now"}'`;
  return (
    <Card title="Webhook" actions={enabled ? <Badge tone="green">On</Badge> : <Badge>Off</Badge>}>
      <p className="mb-3 text-sm text-slate-600">
        Another system can POST one object to sync it at once, or an empty body to request a full run.
      </p>
      <ErrorText>
        {enable.error ? errorMessage(enable.error) : disable.error ? errorMessage(disable.error) : null}
      </ErrorText>
      {enabled && (
        <div className="space-y-3">
          <CopyField label="Webhook URL" value={url} />
          {token && (
            <>
              <p className="text-sm font-medium text-amber-800">
                Copy the token now: it is shown only once. A new token replaces it.
              </p>
              <CopyField label="Webhook token" value={token} />
            </>
          )}
          <CopyField label="Example" value={curl} multiline />
        </div>
      )}
      {canWrite && (
        <div className="mt-3 flex flex-wrap gap-2">
          {enabled ? (
            <ConfirmButton
              variant="secondary"
              disabled={busy}
              title="Make a new token?"
              description="The current one stops working at once: update the systems that push here."
              confirmLabel="Make a new token"
              onConfirm={() => enable.mutate({ orgId: org.orgId, syncId })}
            >
              New token
            </ConfirmButton>
          ) : (
            <Button disabled={busy} onClick={() => enable.mutate({ orgId: org.orgId, syncId })}>
              Enable webhook
            </Button>
          )}
          {enabled && (
            <Button
              variant="danger"
              disabled={busy}
              onClick={() => disable.mutate({ orgId: org.orgId, syncId })}
            >
              Disable webhook
            </Button>
          )}
        </div>
      )}
    </Card>
  );
}
