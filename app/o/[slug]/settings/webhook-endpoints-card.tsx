'use client';
// Notification webhooks (owners and admins): endpoints that receive run failures, held deletions and
// new conflicts as signed JSON, and the delivery log with each delivery's attempts and next retry.
// The signing secret is shown once, when the endpoint is added.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Badge, Button, Card, ErrorText, Field, Input, Loading } from '@/app/_components/ui';
import { formatTime } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { errorIssues, errorMessage, useTRPC } from '@/app/_lib/trpc';
import type { NotificationEvent } from '@/server/db/schema';

export const EVENT_LABELS: Record<NotificationEvent, string> = {
  'run.failed': 'A synchronisation failing (its first failure, then daily)',
  'run.recovered': 'A synchronisation working again after failures',
  'deletions.held': 'Deletions held for approval',
  'conflict.opened': 'Conflicts opened',
};
const EVENTS = Object.keys(EVENT_LABELS) as NotificationEvent[];

const STATUS_TONE = { pending: 'amber', delivered: 'green', failed: 'red' } as const;

export function WebhookEndpointsCard() {
  const trpc = useTRPC();
  const org = useOrg();
  const queryClient = useQueryClient();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [events, setEvents] = useState<NotificationEvent[]>([...EVENTS]);
  const endpoints = useQuery(trpc.notifications.endpoints.queryOptions({ orgId: org.orgId }));
  const deliveries = useQuery({
    ...trpc.notifications.deliveries.queryOptions({ orgId: org.orgId, limit: 50 }),
    refetchInterval: 10_000,
  });
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.notifications.endpoints.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.notifications.deliveries.queryKey() }),
    ]);
  const create = useMutation(
    trpc.notifications.createEndpoint.mutationOptions({
      onSuccess: async () => {
        setUrl('');
        setDescription('');
        await refresh();
      },
    }),
  );
  const toggle = useMutation(trpc.notifications.setEndpointEnabled.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.notifications.deleteEndpoint.mutationOptions({ onSuccess: refresh }));
  const fieldError = (field: string) =>
    errorIssues(create.error).find((i) => i.field === field)?.message ??
    (field === 'url' && create.error && errorIssues(create.error).length === 0
      ? errorMessage(create.error)
      : null);
  const otherError = endpoints.error ?? deliveries.error ?? toggle.error ?? remove.error;

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({ orgId: org.orgId, url, description, events });
  }

  const secret = create.data?.secret;
  return (
    <div className="mt-6 space-y-6" id="notifications">
      <Card title="Notification webhooks">
        <p className="mb-3 text-sm text-slate-600">
          Concord POSTs a JSON body to each endpoint when one of its events happens, signed in the{' '}
          <code className="text-xs">Concord-Signature</code> header (HMAC-SHA256 of{' '}
          <code className="text-xs">timestamp.body</code> with the endpoint’s secret). An answer other than
          2xx is retried with growing waits (30 s, then doubling) for about four hours. Everyone in the
          organisation also sees these events under the bell.
        </p>
        <form onSubmit={submit} className="space-y-3" aria-label="Add a webhook endpoint">
          <div className="grid gap-3 md:grid-cols-2">
            <Field label="Endpoint URL" error={fieldError('url')}>
              <Input
                value={url}
                required
                type="url"
                placeholder="https://example.com/hooks/concord"
                onChange={(e) => setUrl(e.target.value)}
              />
            </Field>
            <Field label="Description (optional)" error={fieldError('description')}>
              <Input
                value={description}
                maxLength={200}
                placeholder="On-call channel"
                onChange={(e) => setDescription(e.target.value)}
              />
            </Field>
          </div>
          <fieldset>
            <legend className="text-sm font-medium text-slate-700">Events</legend>
            <div className="mt-1 flex flex-wrap gap-4">
              {EVENTS.map((e) => (
                <label key={e} className="flex items-center gap-2 text-sm text-slate-700">
                  <input
                    type="checkbox"
                    checked={events.includes(e)}
                    onChange={(ev) =>
                      setEvents(ev.target.checked ? [...events, e] : events.filter((x) => x !== e))
                    }
                  />
                  {EVENT_LABELS[e]}
                </label>
              ))}
            </div>
            {fieldError('events') && (
              <p className="mt-1 text-xs font-medium text-red-700">{fieldError('events')}</p>
            )}
          </fieldset>
          <Button type="submit" disabled={create.isPending}>
            Add endpoint
          </Button>
        </form>
        {secret && (
          <div className="mt-4 space-y-2 rounded-md bg-amber-50 p-3" data-testid="webhook-secret">
            <p className="text-sm font-medium text-amber-900">
              Copy the signing secret now: it is shown only once. Your receiver checks each request with it.
            </p>
            <div className="flex items-start gap-2">
              <Input readOnly aria-label="Signing secret" value={secret} className="font-mono text-xs" />
              <Button variant="secondary" onClick={() => void navigator.clipboard?.writeText(secret)}>
                Copy
              </Button>
            </div>
          </div>
        )}
        <div className="mt-3">
          <ErrorText>{otherError ? errorMessage(otherError) : null}</ErrorText>
        </div>
        {endpoints.isPending ? (
          <Loading what="webhook endpoints" />
        ) : endpoints.data && endpoints.data.length > 0 ? (
          <div className="mt-4 overflow-x-auto">
            <table className="w-full min-w-[36rem] text-left text-sm">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-2 pr-3">Endpoint</th>
                  <th className="py-2 pr-3">Events</th>
                  <th className="py-2 pr-3">Status</th>
                  <th className="sr-only py-2">Actions</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {endpoints.data.map((e) => (
                  <tr key={e.id} data-testid="webhook-endpoint">
                    <td className="max-w-xs py-2 pr-3">
                      <span className="block truncate font-mono text-xs">{e.url}</span>
                      {e.description && <span className="block text-xs text-slate-500">{e.description}</span>}
                      <span className="block text-xs text-slate-500">
                        Added by {e.addedBy?.name ?? 'a deleted account'}
                      </span>
                      {e.addedBy?.member === false && (
                        <span className="mt-0.5 block" data-testid="endpoint-creator-left">
                          <Badge tone="amber">Added by a former member: check where it sends</Badge>
                        </span>
                      )}
                    </td>
                    <td className="py-2 pr-3 text-xs text-slate-600">
                      {e.events.map((x) => EVENT_LABELS[x]).join(', ')}
                    </td>
                    <td className="py-2 pr-3">
                      {e.enabled ? <Badge tone="green">Active</Badge> : <Badge>Paused</Badge>}
                    </td>
                    <td className="space-x-2 whitespace-nowrap py-2 text-right">
                      <Button
                        variant="secondary"
                        disabled={toggle.isPending}
                        onClick={() =>
                          toggle.mutate({ orgId: org.orgId, endpointId: e.id, enabled: !e.enabled })
                        }
                      >
                        {e.enabled ? 'Pause' : 'Resume'}
                      </Button>
                      <Button
                        variant="danger"
                        disabled={remove.isPending}
                        onClick={() => {
                          if (confirm(`Remove ${e.url}? Its delivery log goes with it.`))
                            remove.mutate({ orgId: org.orgId, endpointId: e.id });
                        }}
                      >
                        Remove
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="mt-4 text-sm text-slate-500">No webhook endpoint yet.</p>
        )}
      </Card>

      <Card title="Delivery log">
        {deliveries.isPending ? (
          <Loading what="deliveries" />
        ) : deliveries.data && deliveries.data.length > 0 ? (
          <div className="overflow-x-auto">
            <table className="w-full min-w-[48rem] text-left text-sm" data-testid="delivery-log">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-2 pr-3">Event</th>
                  <th className="py-2 pr-3">Endpoint</th>
                  <th className="py-2 pr-3">Status</th>
                  <th className="py-2 pr-3 text-right">Attempts</th>
                  <th className="py-2 pr-3">Last answer</th>
                  <th className="py-2">Next retry</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {deliveries.data.map((d) => (
                  <tr key={d.id} data-testid="delivery">
                    <td className="py-2 pr-3">
                      <span className="block">{d.title}</span>
                      <span className="block text-xs text-slate-500">{formatTime(d.createdAt)}</span>
                    </td>
                    <td className="max-w-[12rem] truncate py-2 pr-3 font-mono text-xs">{d.url}</td>
                    <td className="py-2 pr-3">
                      <Badge tone={STATUS_TONE[d.status]}>{d.status}</Badge>
                    </td>
                    <td className="py-2 pr-3 text-right tabular-nums">{d.attempts}</td>
                    <td className="py-2 pr-3 text-xs">
                      {d.lastStatusCode ?? (d.lastError ? 'no answer' : '—')}
                      {d.lastAttemptAt && (
                        <span className="block text-slate-500">{formatTime(d.lastAttemptAt)}</span>
                      )}
                      {d.lastError && (
                        <span className="line-clamp-2 text-red-700" title={d.lastError}>
                          {d.lastError}
                        </span>
                      )}
                    </td>
                    <td className="py-2 text-xs">
                      {d.status === 'pending' ? formatTime(d.nextAttemptAt) : '—'}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : (
          <p className="text-sm text-slate-500">Nothing sent yet.</p>
        )}
      </Card>
    </div>
  );
}
