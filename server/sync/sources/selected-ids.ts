// Selected ids (`sourceConfig.selectedIds`): a source limited to a list of origin ids. Where the source
// can fetch objects by id, `idBatchSource` pages through the ids themselves — a page is a batch of ids
// and the cursor a position in the list — so only those objects are requested. Otherwise
// `filteredToIds` reads the listing and passes on only the selected objects. Either way deletion
// considers only the selected ids (`deletableIds`): an object outside the selection is never deleted,
// and a selected id the source no longer has (a 404 when fetched by id) is a candidate as usual.
import { readOriginId } from '../core/ids';
import type { ListingOutcome } from '../core/pagination/types';
import type { SourcePage, SourcePort } from '../ports';

/** Where an id listing is: the index of the next id to fetch and the page it starts. Plain JSON. */
export interface IdCursor {
  readonly kind: 'ids';
  readonly next: number;
  readonly page: number;
}

/** The objects a batch of ids fetched (ids the source does not have are simply absent), or why not. */
export type BatchAnswer =
  | { readonly ok: true; readonly objects: readonly unknown[] }
  | { readonly ok: false; readonly message: string };

export interface IdBatchSourceOptions {
  readonly systemId: string;
  readonly ids: readonly string[];
  readonly batchSize: number;
  /** The object's id field: every answer must be one of the ids asked for. */
  readonly idField: string;
  /** Names the source in logs and problems (a URL template, a database address). */
  readonly label: string;
  readonly fetchBatch: (ids: readonly string[], page: number) => Promise<BatchAnswer>;
}

const isIdCursor = (value: unknown): value is IdCursor =>
  typeof value === 'object' &&
  value !== null &&
  (value as IdCursor).kind === 'ids' &&
  Number.isSafeInteger((value as IdCursor).next) &&
  Number.isSafeInteger((value as IdCursor).page);

export function idBatchSource(o: IdBatchSourceOptions): SourcePort<IdCursor> {
  const size = Math.max(1, Math.floor(o.batchSize));
  const failed = (page: number, message: string): ListingOutcome => ({
    complete: false,
    pages: page - 1,
    problem: { kind: 'transport', page, url: o.label, message },
  });

  async function* pages(from: IdCursor | null): AsyncGenerator<SourcePage<IdCursor>, ListingOutcome, void> {
    if (from !== null && !isIdCursor(from))
      return failed(1, 'The run holds a position that is not one in the selected ids; start a new run.');
    let next = from?.next ?? 0;
    let page = from?.page ?? 1;
    if (o.ids.length === 0) return { complete: true, pages: 0 };
    for (;;) {
      const batch = o.ids.slice(next, next + size);
      const answer = await o.fetchBatch(batch, page);
      if (!answer.ok) return failed(page, answer.message);
      // An answer for an id nobody asked for would leave the asked one unseen, and so deleted.
      const asked = new Set(batch);
      for (const object of answer.objects) {
        const id = readOriginId(object, o.idField);
        if (id.ok && !asked.has(id.id)) {
          return failed(
            page,
            `Asked for ${batch.length === 1 ? `the id "${batch[0]}"` : 'selected ids'}, the source answered with ` +
              `an object whose id is "${id.id}": check the path of one object and the id field.`,
          );
        }
      }
      next += batch.length;
      if (next >= o.ids.length) {
        const outcome: ListingOutcome = { complete: true, pages: page };
        yield { number: page, url: o.label, objects: answer.objects, then: { kind: 'end', outcome } };
        return outcome;
      }
      const cursor: IdCursor = { kind: 'ids', next, page: page + 1 };
      yield { number: page, url: o.label, objects: answer.objects, then: { kind: 'next', cursor } };
      page += 1;
    }
  }
  return { systemId: o.systemId, pages };
}

/**
 * The listing of `source` with only the selected objects. An object whose id cannot be read is kept:
 * it may be a selected one, and the engine counts it as unidentified, which rules out deletions.
 */
export function filteredToIds<TCursor>(
  source: SourcePort<TCursor>,
  ids: ReadonlySet<string>,
  idField: string,
): SourcePort<TCursor> {
  const keep = (object: unknown) => {
    const id = readOriginId(object, idField);
    return !id.ok || ids.has(id.id);
  };
  async function* pages(from: TCursor | null): AsyncGenerator<SourcePage<TCursor>, ListingOutcome, void> {
    const inner = source.pages(from);
    try {
      for (;;) {
        const step = await inner.next();
        if (step.done) return step.value;
        yield { ...step.value, objects: step.value.objects.filter(keep) };
      }
    } finally {
      // Lets the listing release what it holds when the engine stops after one page.
      await inner.return(undefined as never);
    }
  }
  return { systemId: source.systemId, pages };
}

/** The ids deletion may consider: restrictDeletion and the selection both apply (exact matches). */
export function deletableIds(
  restrictDeletion: readonly string[] | null,
  selectedIds: readonly string[],
): readonly string[] | null {
  if (selectedIds.length === 0) return restrictDeletion;
  if (restrictDeletion === null) return selectedIds;
  const selected = new Set(selectedIds);
  return restrictDeletion.filter((id) => selected.has(id));
}

/** Runs `work` over `items` with at most `limit` at once; answers in the items' order. */
export async function inPool<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let index = 0;
  const worker = async () => {
    while (index < items.length) {
      const mine = index++;
      results[mine] = await work(items[mine] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
