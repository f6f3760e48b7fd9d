// A REST (JSON or XML) source: the listing core pages through it, this adapter supplies the first URL
// and a page fetch over the HTTP client. Every failure ends the listing incomplete, never empty.
import { maxPagesOf, type SyncSourceConfig } from '../config/sync-config';
import type { RestSourceConfig } from '../config/source-config';
import { fillQueryTemplate, parseQueryTemplate } from '../core/incremental/query';
import type { ReadWindow } from '../core/incremental/window';
import { listingSource } from '../core/pagination/source';
import type { ListingConfig } from '../core/pagination/config';
import type { ListingCursor, ListingOutcome, PageFetch, PageRequest } from '../core/pagination/types';
import { buildUrl, type HttpClient, type HttpClientOptions, type ResponseHeadersHook } from '../http';
import type { FetchFacts, RetryFact, SourcePort } from '../ports';
import { isSensitiveName, maskedUrl, Redactor } from '../http/redact';
import { answerDigest } from './answer-digest';
import { announcingNextPages, readAhead } from './read-ahead';
import { originOf } from '../config/source-secrets';
import { createRestClient } from './rest-client';
import { anchorLinks } from './rest-links';

export interface RestSourceOptions {
  /** The source id. */
  systemId: string;
  source: RestSourceConfig;
  secrets: Record<string, string>;
  /** The sync's sourceEndpoint, appended to baseUrl (may be '' or a path with a query). */
  endpoint: string;
  sync: SyncSourceConfig;
  urlPolicy: { allowPrivateNetworks: boolean };
  /** Test seams and run hooks (sleep, retry policy, onEvent); cannot override the URL policy. */
  http?: Partial<HttpClientOptions>;
  /** Fetch page n+1 while page n is processed (see read-ahead.ts: only where one process runs the listing). */
  readAhead?: boolean;
}

export type RestSource = SourcePort<ListingCursor> & { close(): Promise<void> };

export function createRestSource(o: RestSourceOptions): RestSource {
  // Query parameters written into the endpoint win over the sync's, which win over the source's. Values
  // with secret-looking names (plain ones, saved before such settings were refused) go to the source's
  // own address only: an endpoint may be a whole URL on another host.
  const baseOrigin = originOf(o.source.baseUrl);
  const defaultQuery = { ...o.source.query, ...o.sync.query };
  const at = (query: Record<string, string>) =>
    buildUrl({ baseUrl: o.source.baseUrl, endpoint: o.endpoint, defaultQuery: query });
  let first = at(defaultQuery);
  if (first.ok && first.url.origin !== baseOrigin)
    first = at(Object.fromEntries(Object.entries(defaultQuery).filter(([name]) => !isSensitiveName(name))));
  if (!first.ok)
    return failedSource(o.systemId, o.source.baseUrl, `The endpoint is not usable: ${first.reason}`);
  const url = first.url.href;

  let client: HttpClient;
  try {
    client = createRestClient(o);
  } catch (error) {
    // A missing secret: the run ends with this reason and, its listing incomplete, deletes nothing.
    return failedSource(o.systemId, url, error instanceof Error ? error.message : String(error));
  }

  const config: ListingConfig = {
    url,
    resultsPosition: o.sync.resultsPosition,
    pagination: o.sync.pagination,
    maxPages: maxPagesOf(o.sync),
  };
  // An incremental run asks for changes from its lower bound: the template's parameters on the first
  // request, which the listing carries into every next page (a full reconciliation asks for all).
  const template = o.sync.incremental?.query ? parseQueryTemplate(o.sync.incremental.query) : null;
  const configFor = (window: ReadWindow | undefined): ListingConfig => {
    if (window?.kind !== 'incremental' || !template?.ok) return config;
    const query = fillQueryTemplate(template.pairs, window.lower);
    const narrowed = buildUrl({ url, query });
    return narrowed.ok ? { ...config, url: narrowed.url.href } : config;
  };
  const headers = { ...o.source.headers, ...o.sync.headers };
  // The source's secrets in every form they may take: an answer that echoes one is not remembered.
  const redactor = new Redactor();
  for (const value of Object.values(o.secrets)) redactor.add(value);
  redactor.addHeaders(headers);
  const secret = (text: string) => redactor.text(text) !== text;
  // Headers that look secret go to the source's address only, not to an endpoint's other host.
  const trusted = new Set([baseOrigin]);

  // Set when pages are read ahead: told each page's headers before its body is read.
  const hooks: { onHeaders?: (request: PageRequest) => ResponseHeadersHook } = {};
  const fetchPage: PageFetch = async (request) => {
    const { url: pageUrl } = request;
    // The run's timeline: when the request started, how long it took, and each retry with its reason.
    const startedAt = Date.now();
    const retries: RetryFact[] = [];
    // The body is read when the listing asks: a page its memo knows by the digest is never parsed.
    const result = await client.fetchUnread({
      url: pageUrl,
      headers: headersFor(pageUrl, headers, trusted),
      onHeaders: hooks.onHeaders?.(request),
      onRetry: (retry) => retries.push({ ...retry, at: Date.now() }),
    });
    const facts = (status: number | undefined, url: string): FetchFacts => ({
      url,
      durationMs: Date.now() - startedAt,
      startedAt,
      retries,
      ...(status === undefined ? {} : { status }),
    });
    // Any failure, a refused status included, ends the listing: the transport's reason names the
    // request, the status, the attempts and the start of what the server said.
    if (!result.ok) return { error: result.reason, fetch: facts(result.status, maskedUrl(pageUrl)) };
    const fetched = facts(result.status, result.displayUrl);
    const headersAnchored = anchorLinks(
      { headers: result.headers, body: null },
      pageUrl,
      result.url,
      o.sync.pagination,
    );
    return {
      status: result.status,
      headers: headersAnchored.headers,
      fetch: fetched,
      secret,
      read: () => {
        // A 204 says by its status that the page holds nothing (as many APIs answer an empty listing);
        // an empty body with 200 still fails the page, as a listing must not look empty by accident.
        if (result.status === 204) return { ok: true, body: null, noContent: true };
        const read = result.read();
        if (!read.ok) return { ok: false, error: read.reason, fetch: facts(read.status, maskedUrl(pageUrl)) };
        const body = anchorLinks(read, pageUrl, result.url, o.sync.pagination).body;
        return { ok: true, body, ...(read.format === 'xml' ? { xml: true } : {}) };
      },
      digest: () =>
        answerDigest({
          bytes: result.bytes,
          contentType: result.headers['content-type'],
          requestedUrl: pageUrl,
          answeredUrl: result.url,
          settings: [o.sync.pagination, o.http?.xml ?? null],
        }),
    };
  };

  const listing = (fetch: PageFetch): SourcePort<ListingCursor> => ({
    systemId: o.systemId,
    pages: (from, window, recall) =>
      listingSource(o.systemId, configFor(window), fetch).pages(from, window, recall),
  });
  if (!o.readAhead) return { ...listing(fetchPage), close: () => client.close() };
  const ahead = readAhead(fetchPage, { maxPages: config.maxPages });
  hooks.onHeaders = (request) => (answer) => ahead.headersOf(request, answer);
  return {
    ...announcingNextPages(listing(ahead.fetch), ahead),
    close: () => {
      ahead.discard();
      return client.close();
    },
  };
}

// Like the transport's credentials, headers that look secret go only to the configured API: a next link
// is the server's word and may point anywhere.
function headersFor(
  url: string,
  headers: Record<string, string>,
  trusted: ReadonlySet<string>,
): Record<string, string> {
  if (trusted.has(new URL(url).origin)) return headers;
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !isSensitiveName(name)));
}

/** A source that cannot start: no page, an incomplete outcome with the reason at page 1. */
function failedSource(systemId: string, url: string, message: string): RestSource {
  const outcome: ListingOutcome = {
    complete: false,
    pages: 0,
    problem: { kind: 'transport', page: 1, url, message },
  };
  // eslint-disable-next-line require-yield -- a listing that ends before its first page
  async function* pages(): AsyncGenerator<never, ListingOutcome, void> {
    return Promise.resolve(outcome);
  }
  return { systemId, pages, close: () => Promise.resolve() };
}
