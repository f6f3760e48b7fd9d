// A paged HTTP listing as a SourcePort: the REST and XML adapters supply only the fetch function
// (auth, retries, parsing) and the listing configuration.
import type { SourcePort } from '../../ports';
import type { ListingConfig } from './config';
import { listPages } from './listing';
import type { ListingCursor, PageFetch } from './types';

export function listingSource(
  systemId: string,
  config: ListingConfig,
  fetchPage: PageFetch,
): SourcePort<ListingCursor> {
  return {
    systemId,
    pages: (from, _window, recall) => listPages(config, fetchPage, from ?? undefined, recall),
  };
}
