// The HTTP client behind a REST source or target: the source's base URL, timeouts and credentials (its
// authentication, and its secret headers and query parameters), with the URL policy always applied (a
// test seam in `http` cannot switch the guard off).
import { authFromSource } from '../http-auth';
import { secretParamsOf } from '../config/source-secrets';
import type { RestSourceConfig } from '../config/source-config';
import { createHttpClient, type HttpClient, type HttpClientOptions } from '../http';

export interface RestClientOptions {
  source: RestSourceConfig;
  secrets: Record<string, string>;
  urlPolicy: { allowPrivateNetworks: boolean };
  http?: Partial<HttpClientOptions>;
  /** Sent on every request; leave out to pass headers per request instead. */
  headers?: Record<string, string>;
}

/** Throws when a secret the authentication needs is missing (authFromSource names it). */
export function createRestClient(o: RestClientOptions): HttpClient {
  return createHttpClient({
    timeoutMs: o.source.timeoutMs,
    deadlineMs: o.source.deadlineMs,
    ...o.http,
    baseUrl: o.source.baseUrl,
    rateLimit: o.source.rateLimit,
    auth: authFromSource(o.source, o.secrets),
    secretParams: secretParamsOf(o.secrets),
    urlPolicy: o.urlPolicy,
    headers: o.headers,
  });
}
