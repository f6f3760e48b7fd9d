// Totals a page may announce (objects or pages), so numbered and offset paging can stop without an
// extra empty request. Only unambiguous names are trusted: a wrong total would end a listing early.
import { lookupPath } from '../paths';
import { header } from './urls';

const TOTAL_OBJECT_PATHS = [
  'total',
  'totalCount',
  'total_count',
  'totalItems',
  'total_items',
  'meta.total',
  'meta.totalCount',
  'meta.total_count',
  'pagination.total',
  'hits.total.value',
];
const TOTAL_PAGE_PATHS = [
  'totalPages',
  'total_pages',
  'last_page',
  'lastPage',
  'pageCount',
  'meta.last_page',
  'meta.totalPages',
  'meta.total_pages',
  'pagination.totalPages',
  'pagination.total_pages',
];

function asCount(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) && number >= 0 ? number : undefined;
}

function firstCount(body: unknown, paths: readonly string[]): number | undefined {
  for (const path of paths) {
    const lookup = lookupPath(body, path);
    const count = lookup.found ? asCount(lookup.value) : undefined;
    if (count !== undefined) return count;
  }
  return undefined;
}

export function totalObjects(
  body: unknown,
  headers: Readonly<Record<string, string>>,
  configuredPath?: string,
): number | undefined {
  if (configuredPath) return firstCount(body, [configuredPath]);
  return (
    asCount(header(headers, 'x-total-count') ?? header(headers, 'x-total')) ??
    firstCount(body, TOTAL_OBJECT_PATHS)
  );
}

/** The total of objects an answer states explicitly: its X-Total-Count (X-Total) header, or the configured path. */
export function explicitTotal(
  body: unknown,
  headers: Readonly<Record<string, string>>,
  configuredPath?: string,
): number | undefined {
  if (configuredPath) return firstCount(body, [configuredPath]);
  return asCount(header(headers, 'x-total-count') ?? header(headers, 'x-total'));
}

export function totalPages(
  body: unknown,
  headers: Readonly<Record<string, string>>,
  configuredPath?: string,
): number | undefined {
  if (configuredPath) return firstCount(body, [configuredPath]);
  return asCount(header(headers, 'x-total-pages')) ?? firstCount(body, TOTAL_PAGE_PATHS);
}
