// How a listing pages through a source: the strategy (configured or detected), the results position
// and the page cap. A zod schema, so the sync form and the engine read the same definition.
import { z } from 'zod';
import { strictObject } from '../strict-object';

/**
 * A safety bound, not a limit of ordinary listings: 10,000 pages is a million objects at 100 a page.
 * A listing that hits it ends incomplete (a warning, no deletions) and the sync's page says so.
 */
export const DEFAULT_MAX_PAGES = 10_000;

const queryParam = z.string().trim().min(1);

export const paginationConfigSchema = z.discriminatedUnion('kind', [
  /** Detect from the first response; `paginationQuery` means page numbers in that parameter. */
  strictObject({ kind: z.literal('auto'), paginationQuery: queryParam.optional() }),
  /** One request returns everything (`usesPagination: false`). */
  strictObject({ kind: z.literal('none') }),
  /** A next link in the body: top-level `next`, or a path such as `links.next` or `_links.next.href`. */
  strictObject({ kind: z.literal('next-link'), path: z.string().trim().min(1).optional() }),
  /** The RFC 8288 `Link` header with rel="next". */
  strictObject({ kind: z.literal('link-header') }),
  strictObject({
    kind: z.literal('page-number'),
    param: queryParam.default('page'),
    start: z.int().min(0).default(1),
    sizeParam: queryParam.optional(),
    size: z.int().positive().optional(),
    totalPath: z.string().optional(),
    totalPagesPath: z.string().optional(),
  }),
  strictObject({
    kind: z.literal('offset'),
    offsetParam: queryParam.default('offset'),
    limitParam: queryParam.default('limit'),
    limit: z.int().positive().default(100),
    start: z.int().min(0).default(0),
    totalPath: z.string().optional(),
  }),
  /** A token from the body (e.g. `meta.next_cursor`) sent back in a query parameter. */
  strictObject({ kind: z.literal('cursor'), tokenPath: z.string().trim().min(1), param: queryParam }),
]);

export type PaginationConfig = z.output<typeof paginationConfigSchema>;
export type PaginationConfigInput = z.input<typeof paginationConfigSchema>;
/** A strategy after auto-detection. */
export type ResolvedPagination = Exclude<PaginationConfig, { kind: 'auto' }>;

export const listingConfigSchema = z.object({
  /** The first request, with the sync's own query parameters (they survive into next links). */
  url: z.url(),
  resultsPosition: z.string().nullish(),
  pagination: paginationConfigSchema.default({ kind: 'auto' }),
  maxPages: z.int().positive().default(DEFAULT_MAX_PAGES),
});

export type ListingConfig = z.output<typeof listingConfigSchema>;
export type ListingConfigInput = z.input<typeof listingConfigSchema>;

/** Reads OpenConnector's `usesPagination` / `paginationQuery` fields into a pagination config. */
export function paginationFromOpenConnector(fields: {
  usesPagination?: boolean | string | null;
  paginationQuery?: string | null;
}): PaginationConfig {
  if (fields.usesPagination === false || fields.usesPagination === 'false') return { kind: 'none' };
  const param = fields.paginationQuery?.trim();
  return param ? { kind: 'auto', paginationQuery: param } : { kind: 'auto' };
}
