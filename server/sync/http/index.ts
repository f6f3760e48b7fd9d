// The REST transport: one client per source or target configuration, and the URL guard.
export { createHttpClient } from './client';
export {
  checkHost,
  checkUrl,
  systemResolver,
  type ResolveHost,
  type ResolvedAddress,
  type HostCheck,
  type UrlCheck,
  type UrlPolicy,
} from './guard';
export { blockedBecause } from './addresses';
export { DEFAULT_RETRY, serverWaitMs, backoffDelay } from './retry';
export { buildUrl, expandTemplate, valueAt, type QueryParams } from './url';
export type {
  AuthConfig,
  FailureKind,
  FetchPage,
  HttpClient,
  HttpClientOptions,
  HttpEvent,
  HttpFailure,
  HttpRequest,
  HttpResult,
  HttpSuccess,
  HttpUnread,
  ResponseFormat,
  ResponseHeadersHook,
  RetryPolicy,
  SecretParams,
  UnreadBody,
} from './types';
