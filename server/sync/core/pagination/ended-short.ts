// A listing that ends on an empty page while the source itself announced more objects than were listed
// (an X-Total-Count, a body's total) ended early: a server that answers one page empty by mistake — a
// replica behind, a cache, a timeout turned into `[]` — would otherwise make a complete listing, and
// every object on the pages after it would be deleted. Such a listing is not complete for deletions.
// A total a little off (an object the source counts but does not list) is not taken for that: only a
// full page or more missing is.

/**
 * `page`: the empty page's number; `listed`: the objects on the pages before it; `announced`: the total
 * the source gave on this page or an earlier one.
 */
export function endedShort(page: number, count: number, listed: number, announced: number): boolean {
  if (count > 0 || page < 2) return false;
  const missing = announced - listed;
  const pageSize = listed / (page - 1);
  return missing > 0 && missing >= pageSize;
}

/**
 * The same for a source that announces its number of pages (`totalPages`, `last_page`) instead of its
 * objects: an empty page before the last one it announced leaves at least that last page unlisted. The
 * last page itself answered empty is not taken for that (a total a little off: the objects that made it
 * may have gone while the listing read).
 */
export function endedShortOfPages(page: number, count: number, announcedPages: number): boolean {
  return count === 0 && page < announcedPages;
}

/**
 * A last page that is not empty — its answer named no next page — while the total its own header
 * announced (X-Total-Count, or the configured total path) is a page or more beyond what was listed: an
 * answer that lost its next link (a proxy, a cache) would otherwise end a complete listing, and the
 * objects on the pages never read would be deleted. Only such explicit totals count here: a body's
 * `total` may be a sum rather than a count, and every listing would end short of it.
 * `listed`: the objects on every page, this one included.
 */
export function endedShortOfHeaderTotal(page: number, listed: number, announced: number): boolean {
  const missing = announced - listed;
  return missing > 0 && missing >= listed / page;
}
