'use client';
// Organisation API keys for the trigger endpoint (owners and admins): list, create (the key is shown
// once, with how to call the endpoint), revoke.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import { ConfirmButton } from '@/app/_components/dialogs';
import {
  Badge,
  Button,
  Card,
  ErrorText,
  Field,
  Input,
  Loading,
  TableScroll,
  Textarea,
} from '@/app/_components/ui';
import { formatTime } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';

function Copy({ label, value, multiline }: { label: string; value: string; multiline?: boolean }) {
  return (
    <div className="space-y-1">
      <span className="text-sm font-medium text-slate-700">{label}</span>
      <div className="flex items-start gap-2">
        {multiline ? (
          <Textarea readOnly aria-label={label} value={value} rows={3} />
        ) : (
          <Input readOnly aria-label={label} value={value} className="font-mono text-xs" />
        )}
        <Button variant="secondary" onClick={() => void navigator.clipboard?.writeText(value)}>
          Copy
        </Button>
      </div>
    </div>
  );
}

export function ApiKeysCard() {
  const trpc = useTRPC();
  const org = useOrg();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [origin, setOrigin] = useState('');
  useEffect(() => setOrigin(window.location.origin), []);
  const keys = useQuery(trpc.apiKeys.list.queryOptions({ orgId: org.orgId }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: async () => {
        setName('');
        await refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions({ onSuccess: refresh }));
  const error = keys.error ?? create.error ?? revoke.error;

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ orgId: org.orgId, name });
  }

  const key = create.data?.key;
  const curl = `curl -X POST -H "Authorization: Bearer ${key ?? 'cnc_…'}" ${origin}/api/syncs/{syncId}/run`;
  return (
    <div className="mt-6">
      <Card title="API keys">
        <p className="mb-3 text-sm text-slate-600">
          Other systems start a synchronisation with an API key:{' '}
          <code className="text-xs">POST /api/syncs/{'{syncId}'}/run</code>, optionally with{' '}
          <code className="text-xs">{'{"test": true}'}</code> or{' '}
          <code className="text-xs">{'{"force": true}'}</code> as the body.
        </p>
        <form onSubmit={submit} className="flex flex-wrap items-end gap-3">
          <div className="min-w-64 flex-1">
            <Field label="Key name">
              <Input
                value={name}
                required
                maxLength={100}
                placeholder="Nightly ETL"
                onChange={(e) => setName(e.target.value)}
              />
            </Field>
          </div>
          <Button type="submit" disabled={create.isPending}>
            Create API key
          </Button>
        </form>
        <div className="mt-3">
          <ErrorText>{error ? errorMessage(error) : null}</ErrorText>
        </div>
        {key && (
          <div className="mt-4 space-y-3 rounded-md bg-amber-50 p-3">
            <p className="text-sm font-medium text-amber-900">Copy the key now: it is shown only once.</p>
            <Copy label="API key" value={key} />
            <Copy label="Trigger a synchronisation" value={curl} multiline />
            <p className="text-xs text-slate-600">
              Replace {'{syncId}'} with the id in a synchronisation’s address.
            </p>
          </div>
        )}
        {keys.isPending ? (
          <div className="mt-4">
            <Loading what="API keys" />
          </div>
        ) : keys.data && keys.data.length > 0 ? (
          <TableScroll label="API keys" className="mt-4">
            <table className="w-full min-w-[36rem] text-left text-sm">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-2">Name</th>
                  <th className="py-2">Key</th>
                  <th className="py-2">Created</th>
                  <th className="py-2">Last used</th>
                  <th className="sr-only py-2">Actions</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {keys.data.map((k) => (
                  <tr key={k.id} data-testid={`api-key-${k.name}`}>
                    <td className="py-2 font-medium">{k.name}</td>
                    <td className="py-2 font-mono text-xs text-slate-600">{k.prefix}…</td>
                    <td className="py-2 text-slate-600">{formatTime(k.createdAt)}</td>
                    <td className="py-2 text-slate-600">
                      {k.lastUsedAt ? formatTime(k.lastUsedAt) : 'never'}
                    </td>
                    <td className="py-2 text-right">
                      {k.revokedAt ? (
                        <Badge tone="red">Revoked {formatTime(k.revokedAt)}</Badge>
                      ) : (
                        <ConfirmButton
                          variant="danger"
                          disabled={revoke.isPending}
                          title={`Revoke the key ${k.name}? Calls with it stop working at once.`}
                          confirmLabel="Revoke"
                          onConfirm={() => revoke.mutate({ orgId: org.orgId, keyId: k.id })}
                        >
                          Revoke
                        </ConfirmButton>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
        ) : (
          <p className="mt-4 text-sm text-slate-500">No API keys yet.</p>
        )}
      </Card>
    </div>
  );
}
