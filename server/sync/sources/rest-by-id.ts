// A REST source read by id: for a synchronisation limited to selected ids with an endpoint of one
// object (`/items/{{id}}`), each selected id is one GET — nothing else is listed. A 404 means the source
// no longer has the object (it is then a deletion candidate as usual); any other failure ends the
// listing incomplete, so the run deletes nothing.
import type { HttpClient } from '../http';
import { isRecord } from '../core/paths';
import type { SourcePort } from '../ports';
import type { RestSourceOptions } from './rest';
import { createRestClient } from './rest-client';
import { idBatchSource, inPool, type BatchAnswer, type IdCursor } from './selected-ids';

export type RestIdSource = SourcePort<IdCursor> & { close(): Promise<void> };

export interface RestIdSourceOptions extends RestSourceOptions {
  readonly ids: readonly string[];
  /** Relative to the source's base URL; `{{id}}` is replaced by the URL-encoded id. */
  readonly objectEndpoint: string;
  readonly idField: string;
}

/** Ids per page (one durable step); their requests go out a few at a time. */
export const IDS_PER_PAGE = 20;
const AT_ONCE = 4;

/** One object read by id, with what the source said identifies its version (ETag, Last-Modified). */
export type RestObjectAnswer =
  | { kind: 'object'; object: Record<string, unknown>; etag?: string; lastModified?: string }
  | { kind: 'gone' }
  | { kind: 'failed'; message: string };

export type RestObjectReader = {
  readonly read: (id: string) => Promise<RestObjectAnswer>;
  readonly close: () => Promise<void>;
};

/** GETs one object at a time at `objectEndpoint`, with the synchronisation's headers and query. */
export function createRestObjectReader(o: Omit<RestIdSourceOptions, 'ids' | 'idField'>): RestObjectReader {
  let client: HttpClient | null = null;
  let setupProblem: string | null = null;
  try {
    client = createRestClient(o);
  } catch (error) {
    // A missing secret: the run ends with this reason and, its listing incomplete, deletes nothing.
    setupProblem = error instanceof Error ? error.message : String(error);
  }
  const headers = { ...o.source.headers, ...o.sync.headers };
  const query = { ...o.source.query, ...o.sync.query };

  async function read(id: string): Promise<RestObjectAnswer> {
    if (!client) return { kind: 'failed', message: setupProblem ?? 'The source cannot be used.' };
    const result = await client.send({ endpoint: o.objectEndpoint, record: { id }, headers, query });
    if (!result.ok) {
      if (result.status === 404 || result.status === 410) return { kind: 'gone' };
      return { kind: 'failed', message: `Fetching the id "${id}" failed: ${result.reason}` };
    }
    if (!isRecord(result.body)) {
      return {
        kind: 'failed',
        message: `The answer for the id "${id}" (${result.displayUrl}) is not one object: check the path of one object.`,
      };
    }
    const { etag, 'last-modified': lastModified } = result.headers;
    return {
      kind: 'object',
      object: result.body,
      ...(etag ? { etag } : {}),
      ...(lastModified ? { lastModified } : {}),
    };
  }
  return { read, close: () => client?.close() ?? Promise.resolve() };
}

export function createRestIdSource(o: RestIdSourceOptions): RestIdSource {
  const label = `${o.source.baseUrl.replace(/\/+$/, '')}${o.objectEndpoint}`;
  const reader = createRestObjectReader(o);

  async function fetchBatch(ids: readonly string[]): Promise<BatchAnswer> {
    const answers = await inPool(ids, AT_ONCE, (id) => reader.read(id));
    const failure = answers.find((a) => a.kind === 'failed');
    if (failure?.kind === 'failed') return { ok: false, message: failure.message };
    return { ok: true, objects: answers.flatMap((a) => (a.kind === 'object' ? [a.object] : [])) };
  }

  const port = idBatchSource({
    systemId: o.systemId,
    ids: o.ids,
    batchSize: IDS_PER_PAGE,
    idField: o.idField,
    label,
    fetchBatch,
  });
  return { ...port, close: reader.close };
}
