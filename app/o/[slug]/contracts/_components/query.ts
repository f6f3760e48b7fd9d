// The contracts table's filters as they appear in the URL: `?sync=&status=&action=&q=&size=&at=&page=`
// (`sync` only on the organisation's contracts page; a synchronisation's page has it in its path). `at`
// is the server's cursor of the page shown, `page` only its number for the pager's words.
import {
  CONTRACT_ACTIONS,
  CONTRACT_STATUSES,
  type ContractAction,
  type ContractStatus,
} from '@/server/sync/core/contracts';

export const PAGE_SIZES = [25, 50, 100, 200] as const;

export interface ContractTableQuery {
  /** The synchronisation chosen on the organisation's page ('' for all). */
  sync: string;
  status: ContractStatus | '';
  action: ContractAction | '';
  search: string;
  /** The page's cursor ('' for the first page). */
  cursor: string;
  page: number;
  pageSize: number;
}

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? '';
const oneOf = <T extends string>(list: readonly T[], value: string): T | '' =>
  (list as readonly string[]).includes(value) ? (value as T) : '';

export function parseContractQuery(
  params: Record<string, string | string[] | undefined>,
): ContractTableQuery {
  const page = Number.parseInt(one(params.page), 10);
  const size = Number.parseInt(one(params.size), 10);
  return {
    sync: one(params.sync).slice(0, 200),
    status: oneOf(CONTRACT_STATUSES, one(params.status)),
    action: oneOf(CONTRACT_ACTIONS, one(params.action)),
    search: one(params.q).slice(0, 200),
    cursor: one(params.at).slice(0, 2000),
    page: Number.isFinite(page) && page > 0 ? page : 1,
    pageSize: (PAGE_SIZES as readonly number[]).includes(size) ? size : 50,
  };
}

export function contractQueryString(q: ContractTableQuery): string {
  const params = new URLSearchParams();
  if (q.sync) params.set('sync', q.sync);
  if (q.status) params.set('status', q.status);
  if (q.action) params.set('action', q.action);
  if (q.search) params.set('q', q.search);
  if (q.pageSize !== 50) params.set('size', String(q.pageSize));
  if (q.cursor) params.set('at', q.cursor);
  if (q.cursor && q.page > 1) params.set('page', String(q.page));
  const text = params.toString();
  return text ? `?${text}` : '';
}
