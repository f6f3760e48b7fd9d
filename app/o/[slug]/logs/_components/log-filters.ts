// The filters of the logs across runs, as they are kept in the page's URL (`?sync=…&result=error&
// trigger=schedule&from=2026-01-01&to=2026-01-31&page=2`), so that a link reproduces the view.
import type { RunTrigger } from '@/server/db/schema/runs';
import { TRIGGERS } from './run-labels';

export const RESULT_FILTERS = {
  success: 'Succeeded',
  warning: 'Warning',
  error: 'Failed',
  running: 'Queued or running',
  cancelled: 'Cancelled',
} as const;
export type ResultFilter = keyof typeof RESULT_FILTERS;

export interface LogFilters {
  sync: string | null;
  result: ResultFilter | null;
  trigger: RunTrigger | null;
  /** Days as `YYYY-MM-DD`, both included. */
  from: string | null;
  to: string | null;
  page: number;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

type Params = Record<string, string | string[] | undefined> | URLSearchParams;

function one(params: Params, name: string): string | null {
  const value = params instanceof URLSearchParams ? params.get(name) : params[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Reads the filters from the URL; anything it does not know is left out rather than refused. */
export function readLogFilters(params: Params): LogFilters {
  const result = one(params, 'result');
  const trigger = one(params, 'trigger');
  const from = one(params, 'from');
  const to = one(params, 'to');
  const page = Number(one(params, 'page') ?? '1');
  return {
    sync: one(params, 'sync'),
    result: result && result in RESULT_FILTERS ? (result as ResultFilter) : null,
    trigger: trigger && trigger in TRIGGERS ? (trigger as RunTrigger) : null,
    from: from && DAY.test(from) ? from : null,
    to: to && DAY.test(to) ? to : null,
    page: Number.isSafeInteger(page) && page > 0 ? page : 1,
  };
}

export function logFiltersQuery(filters: LogFilters): string {
  const query = new URLSearchParams();
  if (filters.sync) query.set('sync', filters.sync);
  if (filters.result) query.set('result', filters.result);
  if (filters.trigger) query.set('trigger', filters.trigger);
  if (filters.from) query.set('from', filters.from);
  if (filters.to) query.set('to', filters.to);
  if (filters.page > 1) query.set('page', String(filters.page));
  const text = query.toString();
  return text ? `?${text}` : '';
}

/** The days as the person's local midnights: `to` includes its whole day. */
export function dateRange(filters: LogFilters): { from?: Date; to?: Date } {
  const local = (day: string) => {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    return new Date(y, m - 1, d);
  };
  const range: { from?: Date; to?: Date } = {};
  if (filters.from) range.from = local(filters.from);
  if (filters.to) {
    const end = local(filters.to);
    end.setDate(end.getDate() + 1);
    range.to = end;
  }
  return range;
}
