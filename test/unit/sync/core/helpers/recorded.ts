// Feeds recorded (or hand-written) HTTP exchanges from test/fixtures/recorded through the injected
// fetch function, and remembers every request so tests can assert what was asked for.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { PageFetch, PageResponse } from '@/server/sync/core/pagination';

interface Exchange {
  readonly request: { readonly url: string };
  readonly response: PageResponse;
}

export function loadExchanges(name: string): Exchange[] {
  const file = fileURLToPath(new URL(`../../../../fixtures/recorded/${name}.json`, import.meta.url));
  return (JSON.parse(readFileSync(file, 'utf8')) as { exchanges: Exchange[] }).exchanges;
}

/** The same request however its query parameters are ordered. */
export function normaliseUrl(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.sort();
  return parsed.href;
}

export interface ScriptedFetch {
  readonly fetch: PageFetch;
  readonly requested: string[];
}

/** Answers from exchanges by URL; an unexpected request is a transport failure the test will see. */
export function fetchFrom(exchanges: readonly Exchange[]): ScriptedFetch {
  const byUrl = new Map(exchanges.map((e) => [normaliseUrl(e.request.url), e.response]));
  const requested: string[] = [];
  const fetch: PageFetch = ({ url }) => {
    requested.push(url);
    return Promise.resolve(byUrl.get(normaliseUrl(url)) ?? { error: `unexpected request ${url}` });
  };
  return { fetch, requested };
}

export function recordedFetch(name: string): ScriptedFetch {
  return fetchFrom(loadExchanges(name));
}

/** Answers the n-th request with the n-th response, whatever its URL. */
export function sequenceFetch(responses: readonly (PageResponse | { error: string })[]): ScriptedFetch {
  const requested: string[] = [];
  const fetch: PageFetch = ({ url }) => {
    requested.push(url);
    const response = responses[requested.length - 1];
    return Promise.resolve(response ?? { error: `no response scripted for request ${requested.length}` });
  };
  return { fetch, requested };
}

export const json = (body: unknown, headers: Record<string, string> = {}, status = 200): PageResponse => ({
  status,
  headers: { 'content-type': 'application/json', ...headers },
  body,
});
