// One durable step of a listing: fetch the next page from a cursor, process it (run-page.ts), record
// its timeline lines and the cumulative progress. The step's result is small: counts and a cursor.
import type {
  RunProgress,
  RunRecorder,
  SourceContinuation,
  SourcePage,
  SourcePort,
  TimelineEvent,
} from '../ports';
import { recallFor } from './page-memo';
import type { CursorFacts, PageTracking } from './incremental/window';
import type { ListingOutcome } from './pagination/types';
import { addCounts, type RunCounts } from './run-result';
import { processPage, type EnginePorts, type RunContext } from './run-page';
import { endTimeline, pageTimeline, timedNext } from './timeline';

export type PageStepResult<TCursor> =
  | {
      readonly kind: 'page';
      readonly page: number;
      readonly counts: RunCounts;
      readonly then: SourceContinuation<TCursor>;
      /** Incremental synchronisations: what the page saw of the updated-at field. */
      readonly facts?: CursorFacts;
    }
  | { readonly kind: 'end'; readonly outcome: ListingOutcome };

/** One durable step: fetch the next page from `from`, process it, report cumulative progress. */
export async function syncNextPage<TCursor>(
  source: SourcePort<TCursor>,
  from: TCursor | null,
  ports: EnginePorts,
  context: RunContext,
  before: { readonly counts: RunCounts; readonly pagesFetched: number },
  tracking: PageTracking | null = null,
): Promise<PageStepResult<TCursor>> {
  // A page whose answer its memo knows comes unparsed (page-memo.ts recallFor).
  const pages = source.pages(from, tracking?.window, recallFor(ports.contracts, context, tracking));
  try {
    const { first, read } = await timedNext(pages);
    if (first.done) {
      // No page: the request failed, or the listing was over. The timeline says which, under this step.
      await ports.recorder.entries(`page-${before.pagesFetched + 1}`, [], endTimeline(first.value, read));
      return { kind: 'end', outcome: first.value };
    }
    const page = first.value;
    const timeline = pageTimeline(page, read);
    // The page's log (its last write) waits for the progress, to go in the same write (pageDone).
    const log = deferredLog(ports.recorder);
    const { counts, facts } = await processPage(
      { ...ports, recorder: log.recorder },
      context,
      withTimeline(page, timeline),
      tracking,
      // A listing's pages come back by number, run after run: each may have a memo (page-memo.ts).
      { memo: true },
    );
    await log.done({
      pagesFetched: before.pagesFetched + 1,
      counts: addCounts(before.counts, counts),
      ...(page.total === undefined ? {} : { total: page.total }),
    });
    return { kind: 'page', page: page.number, counts, then: page.then, ...(facts ? { facts } : {}) };
  } finally {
    // Lets a source release what it holds (an SQL cursor, a file handle) once its page is taken.
    await (pages as AsyncGenerator<unknown, unknown, void>).return(undefined);
  }
}

/** The page with its timeline, its objects still read (a recalled page's parsed) only if asked for. */
function withTimeline<TCursor>(page: SourcePage<TCursor>, timeline: TimelineEvent[]) {
  const { number, digest, answer, recalled, unreadable, refused } = page;
  return {
    number,
    get objects() {
      return page.objects;
    },
    timeline,
    ...(digest ? { digest } : {}),
    ...(answer ? { answer } : {}),
    ...(recalled ? { recalled } : {}),
    ...(unreadable && unreadable.length > 0 ? { unreadable } : {}),
    ...(refused && refused.length > 0 ? { refused } : {}),
  };
}

/**
 * A recorder whose `entries` of a page are held back and written with the progress by `done`, in one
 * write where the recorder can (pageDone). A second `entries` writes the first at once.
 */
function deferredLog(recorder: RunRecorder) {
  let held: Parameters<RunRecorder['entries']> | null = null;
  const deferred: RunRecorder = {
    ...recorder,
    async entries(...args) {
      if (held) await recorder.entries(...held);
      held = args;
    },
  };
  return {
    recorder: deferred,
    async done(progress: RunProgress): Promise<void> {
      const pending = held;
      held = null;
      if (pending && recorder.pageDone)
        return recorder.pageDone(pending[0], pending[1], pending[2] ?? [], progress);
      if (pending) await recorder.entries(...pending);
      await recorder.progress(progress);
    },
  };
}
