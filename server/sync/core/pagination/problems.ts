// Listing problems in words a person can act on; the one place they are phrased.
import type { ListingProblem } from './types';

const STATUS_HINTS: Record<number, string> = {
  401: 'check the credentials of the source',
  403: 'the credentials lack permission for this endpoint',
  404: 'check the endpoint',
  429: 'the source is rate limiting; run less often or lower the page size',
};

export function describeListingProblem(problem: ListingProblem): string {
  switch (problem.kind) {
    case 'transport':
      return `Page ${problem.page} could not be fetched: ${clause(problem.message)}`;
    case 'http-status': {
      const detail = problem.detail ? `: ${problem.detail}` : '';
      const hint =
        STATUS_HINTS[problem.status] ??
        (problem.status >= 500 ? 'the source had an error; try again later' : '');
      return `Page ${problem.page} answered ${problem.status}${detail}${hint ? ` (${hint})` : ''}`;
    }
    case 'results':
      return `Page ${problem.page}: ${clause(problem.message)}`;
    case 'bad-next-link':
      return `Page ${problem.page} gave a next link that is not an http(s) URL: "${problem.next.slice(0, 100)}"`;
    case 'page-cap':
      return `Stopped after ${problem.maxPages} pages (the synchronisation's Max pages) while the source had more; raise Max pages to list everything`;
    case 'loop':
      return `Page ${problem.page} links to a page that was already fetched (${problem.url}); stopped to avoid a loop`;
    case 'identical-page':
      return `Page ${problem.page} is identical to the page before it; the source seems to ignore the paging parameter`;
    case 'short-of-total':
      return `Page ${problem.page} was the last page though the source announced ${problem.announced} objects and ${problem.listed} were listed: its answer named no next page, so the pages after it were not read`;
    case 'ended-short':
      if ('announcedPages' in problem)
        return `Page ${problem.page} was empty though the source announced ${problem.announcedPages} pages and ${problem.listed} objects were listed on the pages before it; the source may have answered that page empty by mistake`;
      return `Page ${problem.page} was empty though the source announced ${problem.announced} objects and ${problem.listed} were listed; the source may have answered that page empty by mistake`;
  }
}

/**
 * A reason quoted inside a sentence that goes on (" — the listing is incomplete", or a full stop of the
 * caller's): without the full stop the transport or the reader ended it with.
 */
function clause(reason: string): string {
  return reason.replace(/\.+$/, '');
}
