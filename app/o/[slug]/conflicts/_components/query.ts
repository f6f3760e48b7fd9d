// The conflict list's filters as they appear in the URL: `?status=&sync=`. Without a status the
// list shows the open conflicts (the queue); `status=any` shows every one.
import type { ConflictStatus } from '@/server/db/schema';
import { STATUSES } from './conflict-labels';

export interface ConflictListQuery {
  status: ConflictStatus | 'any';
  /** '' for every synchronisation. */
  sync: string;
}

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? '';

export function parseConflictQuery(params: Record<string, string | string[] | undefined>): ConflictListQuery {
  const status = one(params.status);
  return {
    status:
      (STATUSES as readonly string[]).includes(status) || status === 'any'
        ? (status as ConflictListQuery['status'])
        : 'open',
    sync: one(params.sync).slice(0, 200),
  };
}

export function conflictQueryString(q: ConflictListQuery): string {
  const params = new URLSearchParams();
  if (q.status !== 'open') params.set('status', q.status);
  if (q.sync) params.set('sync', q.sync);
  const text = params.toString();
  return text ? `?${text}` : '';
}
