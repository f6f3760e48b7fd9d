// A page's content as the listing reads it: its body parsed and its objects taken from it (readPage),
// or, for an answer the page's memo recognised by its digest, what the memo kept of it (fromMemo), the
// body parsed only if the objects are asked for (answer-facts.ts says why that is sound).
import type { FetchFacts } from '../../ports';
import { sha256Hex } from '../canonical-json';
import { extractObjects } from '../results-position';
import { answerFacts, pageFingerprint } from './answer-facts';
import type { ListingConfig } from './config';
import type {
  AnswerFacts,
  ListingProblem,
  PageResponse,
  RecalledAnswer,
  RecalledPage,
  UnreadResponse,
} from './types';

/** The digest of the page's objects (PageDigest.value): the answer's, and where its objects were taken from. */
export function objectsDigest(
  answer: () => string,
  resultsPosition: ListingConfig['resultsPosition'],
): () => string {
  let value: string | undefined;
  return () => (value ??= sha256Hex(`${JSON.stringify(resultsPosition ?? null)}\n${answer()}`));
}

export type Content =
  | {
      readonly ok: true;
      readonly body: unknown;
      readonly count: number;
      readonly fingerprint: string;
      readonly objects: readonly unknown[];
      readonly answer: AnswerFacts | null;
      readonly recalled?: undefined;
    }
  | {
      readonly ok: true;
      readonly body: unknown;
      readonly count: number;
      readonly fingerprint: string;
      /** The yielded page's objects, read from the body when first asked for, and what recall knew. */
      readonly recalled: { readonly load: () => readonly unknown[]; readonly page: RecalledPage };
    }
  | {
      readonly ok: false;
      readonly problem: Pick<Extract<ListingProblem, { kind: 'results' }>, 'kind' | 'problem' | 'message'>;
    }
  | { readonly ok: false; readonly problem?: undefined; readonly error: string; readonly fetch?: FetchFacts };

/** The page's body read and its objects taken from it (with its answer's facts unless `facts` is false). */
export function readPage(
  response: PageResponse | UnreadResponse,
  config: ListingConfig,
  facts = true,
): Content {
  const read = 'read' in response ? response.read() : { ok: true as const, ...response };
  if (!read.ok) return { ok: false, error: read.error, ...(read.fetch ? { fetch: read.fetch } : {}) };
  if (read.noContent) {
    const none: readonly unknown[] = [];
    return {
      ok: true,
      body: null,
      count: 0,
      fingerprint: pageFingerprint(none),
      objects: none,
      answer: null,
    };
  }
  const extracted = extractObjects(read.body, config.resultsPosition, { xml: read.xml === true });
  if (!extracted.ok) {
    const problem = { kind: 'results' as const, problem: extracted.problem, message: extracted.reason };
    return { ok: false, problem };
  }
  const { objects, position } = extracted;
  const fingerprint = pageFingerprint(objects);
  const answer = facts ? answerFacts(read.body, objects, position, config.pagination, fingerprint) : null;
  // An answer that echoes one of the source's secrets (an API key in a next link) is not kept at rest.
  const keep = answer && !('secret' in response && response.secret?.(JSON.stringify(answer.skeleton)));
  return {
    ok: true,
    body: read.body,
    count: objects.length,
    fingerprint,
    objects,
    answer: keep ? answer : null,
  };
}

/**
 * A page from what its memo remembered of the same answer; its objects are read from the body only when
 * asked for (the engine asks when the memo alone does not decide the page). Equal digests make the same
 * objects — unless Concord reads bodies otherwise than when the memo was kept (a parser's new version):
 * then reading it throws, and the engine forgets the memo (run-page.ts), so the page is read afresh.
 */
export function fromMemo(
  recalled: RecalledAnswer,
  digest: string,
  response: UnreadResponse,
  config: ListingConfig,
  where: { readonly page: number; readonly url: string },
): Content {
  let objects: readonly unknown[] | undefined;
  const load = (): readonly unknown[] => {
    if (objects) return objects;
    const content = readPage(response, config, false);
    if (content.ok && !content.recalled && content.fingerprint === recalled.fingerprint)
      return (objects = content.objects);
    const why = content.ok ? 'other objects' : content.problem ? content.problem.message : content.error;
    throw new Error(`Page ${where.page} (${where.url}) no longer reads as when its memo was kept: ${why}`);
  };
  const { skeleton: body, count, fingerprint, ids } = recalled;
  const page: RecalledPage = { digest, ids };
  return {
    ok: true,
    body,
    count,
    fingerprint,
    recalled: { load, page },
  };
}
