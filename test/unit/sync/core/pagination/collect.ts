// Runs a listing to its end and returns the yielded pages and the outcome.
import {
  listingConfigSchema,
  listPages,
  type ListedPage,
  type ListingConfigInput,
  type ListingCursor,
  type ListingOutcome,
  type PageFetch,
} from '@/server/sync/core/pagination';

export async function collect(
  config: ListingConfigInput,
  fetch: PageFetch,
  from?: ListingCursor,
): Promise<{ pages: ListedPage[]; outcome: ListingOutcome; ids: unknown[] }> {
  const pages: ListedPage[] = [];
  const generator = listPages(listingConfigSchema.parse(config), fetch, from);
  for (;;) {
    const next = await generator.next();
    if (next.done) {
      const ids = pages.flatMap((p) => p.objects.map((o) => (o as { id?: unknown }).id));
      return { pages, outcome: next.value, ids };
    }
    pages.push(next.value);
  }
}
