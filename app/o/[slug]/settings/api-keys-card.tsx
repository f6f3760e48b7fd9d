'use client';
// Organisation API keys (owners and admins): list, create with scopes and an optional expiry (the key
// is shown once, with how to call the API), rotate (a new secret; the old one works for a grace
// period), revoke. A key whose creator left or lost the role its scopes need says so in its row.
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

const SCOPES = [
  { scope: 'read', label: 'Read', hint: 'everything the organisation holds' },
  { scope: 'write', label: 'Write', hint: 'data and configuration, push objects in' },
  { scope: 'run', label: 'Run', hint: 'start and cancel runs' },
  { scope: 'admin', label: 'Admin', hint: 'all of the above' },
] as const;
type Scope = (typeof SCOPES)[number]['scope'];

const GRACE_OPTIONS = [
  { seconds: 0, label: 'stops at once' },
  { seconds: 3600, label: 'works 1 more hour' },
  { seconds: 86_400, label: 'works 1 more day' },
];

export function ApiKeysCard() {
  const trpc = useTRPC();
  const org = useOrg();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['read']);
  const [expires, setExpires] = useState('');
  const [grace, setGrace] = useState(86_400);
  const [origin, setOrigin] = useState('');
  useEffect(() => setOrigin(window.location.origin), []);
  const keys = useQuery(trpc.apiKeys.list.queryOptions({ orgId: org.orgId }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.apiKeys.list.queryKey() });
  const create = useMutation(
    trpc.apiKeys.create.mutationOptions({
      onSuccess: async () => {
        setName('');
        setExpires('');
        rotate.reset();
        await refresh();
      },
    }),
  );
  const rotate = useMutation(
    trpc.apiKeys.rotate.mutationOptions({
      onSuccess: async () => {
        create.reset();
        await refresh();
      },
    }),
  );
  const revoke = useMutation(trpc.apiKeys.revoke.mutationOptions({ onSuccess: refresh }));
  const error = keys.error ?? create.error ?? rotate.error ?? revoke.error;

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({
      orgId: org.orgId,
      name,
      scopes,
      expiresAt: expires ? new Date(`${expires}T23:59:59`) : null,
    });
  }

  const key = create.data?.key ?? rotate.data?.key;
  const curl = `curl -H "Authorization: Bearer ${key ?? 'cnc_…'}" ${origin}/api/v1/registers`;
  return (
    <div className="mt-6">
      <Card title="API keys">
        <p className="mb-3 text-sm text-slate-600">
          Other systems use Concord through the REST API at <code className="text-xs">/api/v1</code> with an
          API key, within the key’s scopes.{' '}
          <a className="text-sky-700 underline" href={`/o/${org.slug}/settings/api`}>
            API reference
          </a>
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
          <div>
            <Field label="Expires (optional)">
              <Input type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />
            </Field>
          </div>
          <fieldset className="w-full">
            <legend className="text-sm font-medium text-slate-700">Scopes</legend>
            <div className="mt-1 flex flex-wrap gap-4">
              {SCOPES.map(({ scope, label, hint }) => (
                <label key={scope} className="flex items-center gap-2 text-sm" title={hint}>
                  <input
                    type="checkbox"
                    checked={scopes.includes(scope)}
                    onChange={(e) =>
                      setScopes((now) =>
                        e.target.checked ? [...now, scope] : now.filter((x) => x !== scope),
                      )
                    }
                  />
                  {label} <span className="text-xs text-slate-500">({hint})</span>
                </label>
              ))}
            </div>
          </fieldset>
          <Button type="submit" disabled={create.isPending || scopes.length === 0}>
            Create API key
          </Button>
        </form>
        <div className="mt-3 flex items-center gap-2 text-sm text-slate-600">
          <label htmlFor="rotation-grace">On rotation, the old secret</label>
          <select
            id="rotation-grace"
            className="rounded border border-slate-300 px-2 py-1"
            value={grace}
            onChange={(e) => setGrace(Number(e.target.value))}
          >
            {GRACE_OPTIONS.map((o) => (
              <option key={o.seconds} value={o.seconds}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div className="mt-3">
          <ErrorText>{error ? errorMessage(error) : null}</ErrorText>
        </div>
        {key && (
          <div className="mt-4 space-y-3 rounded-md bg-amber-50 p-3">
            <p className="text-sm font-medium text-amber-900">Copy the key now: it is shown only once.</p>
            <Copy label="API key" value={key} />
            <Copy label="Try it" value={curl} multiline />
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
                  <th className="py-2">Scopes</th>
                  <th className="py-2">Expires</th>
                  <th className="py-2">Created</th>
                  <th className="py-2">Last used</th>
                  <th className="sr-only py-2">Actions</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {keys.data.map((k) => (
                  <tr key={k.id} data-testid={`api-key-${k.name}`}>
                    <td className="py-2 font-medium">
                      {k.name}
                      {k.actsFor && (
                        <span className="block text-xs font-normal text-slate-500">acts for {k.actsFor}</span>
                      )}
                      {k.stopped && (
                        <p className="mt-1 text-xs font-normal text-red-700">
                          <Badge tone="red">No longer works</Badge> {k.stopped}
                        </p>
                      )}
                    </td>
                    <td className="py-2 font-mono text-xs text-slate-600">{k.prefix}…</td>
                    <td className="py-2 text-slate-600">{k.scopes.join(', ')}</td>
                    <td className="py-2 text-slate-600">{k.expiresAt ? formatTime(k.expiresAt) : 'never'}</td>
                    <td className="py-2 text-slate-600">{formatTime(k.createdAt)}</td>
                    <td className="py-2 text-slate-600">
                      {k.lastUsedAt ? formatTime(k.lastUsedAt) : 'never'}
                    </td>
                    <td className="py-2 text-right">
                      {k.revokedAt ? (
                        <Badge tone="red">Revoked {formatTime(k.revokedAt)}</Badge>
                      ) : (
                        <span className="inline-flex gap-2">
                          <Button
                            variant="secondary"
                            disabled={rotate.isPending}
                            onClick={() =>
                              rotate.mutate({ orgId: org.orgId, keyId: k.id, graceSeconds: grace })
                            }
                          >
                            Rotate
                          </Button>
                          <ConfirmButton
                            variant="danger"
                            disabled={revoke.isPending}
                            title={`Revoke the key ${k.name}? Calls with it stop working at once.`}
                            confirmLabel="Revoke"
                            onConfirm={() => revoke.mutate({ orgId: org.orgId, keyId: k.id })}
                          >
                            Revoke
                          </ConfirmButton>
                        </span>
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
