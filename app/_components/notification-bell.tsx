'use client';
// The bell in the header: the organisation's notifications (a run failed, deletions held, conflicts
// opened) with the number this person has not read. Opening an item marks it read and goes to the run,
// the held deletions or the conflict; "Mark all read" clears the count.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { Popover } from 'radix-ui';
import { useState } from 'react';
import { formatTime } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { useTRPC } from '@/app/_lib/trpc';

const DOT: Record<string, string> = {
  'run.failed': 'bg-red-500',
  'run.recovered': 'bg-emerald-500',
  'deletions.held': 'bg-amber-500',
  'conflict.opened': 'bg-amber-500',
};

export function NotificationBell() {
  const trpc = useTRPC();
  const org = useOrg();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  // A run may fail while the page is open.
  const unread = useQuery({
    ...trpc.notifications.unreadCount.queryOptions({ orgId: org.orgId }),
    refetchInterval: 15_000,
  });
  const list = useQuery({
    ...trpc.notifications.list.queryOptions({ orgId: org.orgId, limit: 15 }),
    enabled: open,
  });
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.notifications.unreadCount.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.notifications.list.queryKey() }),
    ]);
  const markRead = useMutation(trpc.notifications.markRead.mutationOptions({ onSuccess: refresh }));

  const count = unread.data ?? 0;
  return (
    <Popover.Root open={open} onOpenChange={setOpen}>
      <Popover.Trigger asChild>
        <button
          type="button"
          aria-label={count ? `Notifications: ${count} unread` : 'Notifications'}
          data-testid="notification-bell"
          className="relative rounded-md p-1.5 text-slate-600 hover:bg-slate-100"
        >
          <svg
            aria-hidden
            viewBox="0 0 24 24"
            className="h-5 w-5"
            fill="none"
            stroke="currentColor"
            strokeWidth={1.8}
          >
            <path d="M6 8a6 6 0 1 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
            <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
          </svg>
          {count > 0 && (
            <span
              data-testid="notification-count"
              className="absolute -right-1 -top-1 min-w-5 rounded-full bg-red-600 px-1 text-center text-xs font-semibold tabular-nums text-white"
            >
              {count > 99 ? '99+' : count}
            </span>
          )}
        </button>
      </Popover.Trigger>
      <Popover.Portal>
        <Popover.Content
          aria-label="Notifications"
          align="end"
          sideOffset={8}
          collisionPadding={16}
          className="z-30 w-[min(24rem,calc(100vw-2rem))] rounded-lg border border-slate-200 bg-white shadow-lg"
        >
          <div className="flex items-center justify-between border-b border-slate-200 px-3 py-2">
            <span className="text-sm font-semibold text-slate-800">Notifications</span>
            <button
              type="button"
              className="text-xs font-medium text-indigo-700 hover:underline disabled:text-slate-400"
              disabled={count === 0 || markRead.isPending}
              onClick={() => markRead.mutate({ orgId: org.orgId, all: true })}
            >
              Mark all read
            </button>
          </div>
          {list.isPending ? (
            <p className="px-3 py-4 text-sm text-slate-500">Loading…</p>
          ) : list.data && list.data.length > 0 ? (
            <ul
              className="max-h-96 divide-y divide-slate-100 overflow-y-auto"
              data-testid="notification-list"
            >
              {list.data.map((n) => (
                <li key={n.id} className={n.read ? '' : 'bg-indigo-50/50'}>
                  <Link
                    href={`/o/${org.slug}${n.path}`}
                    data-unread={!n.read}
                    className="flex gap-2 px-3 py-2 hover:bg-slate-50"
                    onClick={() => {
                      setOpen(false);
                      if (!n.read) markRead.mutate({ orgId: org.orgId, ids: [n.id] });
                    }}
                  >
                    <span
                      aria-hidden
                      className={`mt-1.5 h-2 w-2 shrink-0 rounded-full ${n.read ? 'bg-slate-200' : DOT[n.event]}`}
                    />
                    <span className="min-w-0">
                      <span
                        className={`block text-sm ${n.read ? 'text-slate-600' : 'font-medium text-slate-900'}`}
                      >
                        {n.title}
                      </span>
                      {n.message && <span className="line-clamp-2 text-xs text-slate-600">{n.message}</span>}
                      <span className="block text-xs text-slate-500">{formatTime(n.createdAt)}</span>
                    </span>
                  </Link>
                </li>
              ))}
            </ul>
          ) : (
            <p className="px-3 py-4 text-sm text-slate-500">
              Nothing yet. Failed runs, held deletions and new conflicts appear here.
            </p>
          )}
          {org.can('notifications.manage') && (
            <div className="border-t border-slate-200 px-3 py-2 text-xs">
              <Link
                className="text-indigo-700 hover:underline"
                href={`/o/${org.slug}/settings#notifications`}
                onClick={() => setOpen(false)}
              >
                Send notifications to a webhook
              </Link>
            </div>
          )}
        </Popover.Content>
      </Popover.Portal>
    </Popover.Root>
  );
}
