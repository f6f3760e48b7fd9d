// Pagination: configuration, the resumable listing generator and its problems.
export {
  DEFAULT_MAX_PAGES,
  listingConfigSchema,
  paginationConfigSchema,
  paginationFromOpenConnector,
  type ListingConfig,
  type ListingConfigInput,
  type PaginationConfig,
  type PaginationConfigInput,
  type ResolvedPagination,
} from './config';
export { detectPagination } from './detect';
export { parseLinkHeader, type WebLink } from './link-header';
export { errorDetail, listPages, startCursor } from './listing';
export { describeListingProblem } from './problems';
export {
  objectCount,
  problemSeverity,
  type AnswerFacts,
  type ListedPage,
  type ListingCursor,
  type ListingOutcome,
  type ListingProblem,
  type PageContinuation,
  type PageFetch,
  type PageRequest,
  type PageResponse,
  type Recall,
  type RecalledAnswer,
  type RecalledPage,
  type TransportFailure,
  type UnreadResponse,
} from './types';
export { resolveNextLink, urlKey, withQuery } from './urls';
export { listingSource } from './source';
