// One HTTP exchange over undici, turned into a value: the response with its body read as text (up to a
// size limit, in the charset it declares), or what went wrong on the wire and at which stage.
import { STATUS_CODES } from 'node:http';
import { request, type Dispatcher } from 'undici';
import type { ResponseHeadersHook, RetryHook } from './types';
import { ownWork } from './own-time';

export interface WireRequest {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
  onHeaders?: ResponseHeadersHook;
  onRetry?: RetryHook;
  /** See HttpRequest.repeatable. */
  repeatable?: boolean | 'when-answered';
  /** The body carries a secret (an OAuth2 token request's client secret): never sent to another origin. */
  secretBody?: boolean;
}

export type WireOutcome =
  | {
      kind: 'response';
      status: number;
      statusText: string;
      headers: Record<string, string>;
      text: string;
      /** The body's bytes as they came, before decoding (what a page's digest hashes). */
      bytes: Uint8Array;
    }
  | {
      kind: 'error';
      cause: 'network' | 'timeout' | 'blocked' | 'too-large';
      message: string;
      /** The request certainly did not reach the server (refused, unresolved, connect timeout). */
      beforeSending: boolean;
      /** The whole answer did not arrive within the deadline (a slow source, not a silent one). */
      deadline?: true;
    };

export interface WireLimits {
  /** Waiting for the headers, and between two pieces of the body. */
  timeoutMs: number;
  /** The whole exchange, headers and body: a source that trickles bytes is cut off here. */
  deadlineMs: number;
  maxResponseBytes: number;
}

const BEFORE_SENDING = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_CONNECT_TIMEOUT']);

export async function exchange(
  dispatcher: Dispatcher,
  wire: WireRequest,
  limits: WireLimits,
): Promise<WireOutcome> {
  const deadline = AbortSignal.timeout(limits.deadlineMs);
  try {
    const response = await request(wire.url, {
      dispatcher,
      method: wire.method,
      headers: wire.headers,
      body: wire.body,
      headersTimeout: limits.timeoutMs,
      bodyTimeout: limits.timeoutMs,
      signal: deadline,
    });
    const headers = flattenHeaders(response.headers);
    if (wire.onHeaders && response.statusCode >= 200 && response.statusCode <= 299) {
      try {
        wire.onHeaders({ url: wire.url.href, headers });
      } catch {
        // a hint for the caller, never part of the answer
      }
    }
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limits.maxResponseBytes) {
        response.body.destroy();
        const message = `the answer is larger than ${Math.round(limits.maxResponseBytes / 1048576)} MiB`;
        return { kind: 'error', cause: 'too-large', message, beforeSending: false };
      }
      chunks.push(chunk);
    }
    const statusText = response.statusText || STATUS_CODES[response.statusCode] || '';
    const bytes = Buffer.concat(chunks);
    const text = ownWork(() => decode(bytes, headers['content-type']));
    return { kind: 'response', status: response.statusCode, statusText, headers, text, bytes };
  } catch (error) {
    if (deadline.aborted) {
      const message = `the whole answer did not arrive within ${limits.deadlineMs / 1000} s (the deadline per request)`;
      return { kind: 'error', cause: 'timeout', message, beforeSending: false, deadline: true };
    }
    return describeError(error, limits);
  }
}

function describeError(error: unknown, limits: WireLimits): WireOutcome {
  const code = codeOf(error);
  const message = error instanceof Error ? error.message : String(error);
  const seconds = `${limits.timeoutMs / 1000} s`;
  if (code === 'ERR_CONCORD_BLOCKED_ADDRESS')
    return { kind: 'error', cause: 'blocked', message, beforeSending: true };
  const timeouts: Record<string, string> = {
    UND_ERR_HEADERS_TIMEOUT: `no answer within ${seconds}`,
    UND_ERR_BODY_TIMEOUT: `the answer stalled for more than ${seconds}`,
    UND_ERR_CONNECT_TIMEOUT: `could not connect within ${seconds}`,
  };
  const timeout = code ? timeouts[code] : undefined;
  if (timeout)
    return {
      kind: 'error',
      cause: 'timeout',
      message: timeout,
      beforeSending: code === 'UND_ERR_CONNECT_TIMEOUT',
    };
  const known: Record<string, string> = {
    ECONNREFUSED: 'the connection was refused',
    ECONNRESET: 'the connection was reset',
    ENOTFOUND: 'the host name does not resolve',
    EAI_AGAIN: 'the host name could not be resolved right now',
    UND_ERR_SOCKET: 'the connection closed unexpectedly',
    CERT_HAS_EXPIRED: 'the TLS certificate has expired',
  };
  const described = (code && known[code]) || message;
  const withCode = code && !described.includes(code) ? `${described} (${code})` : described;
  return {
    kind: 'error',
    cause: 'network',
    message: withCode,
    beforeSending: code ? BEFORE_SENDING.has(code) : false,
  };
}

// undici wraps socket errors; the useful code may sit on the error or on its cause.
function codeOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function flattenHeaders(raw: Record<string, string | string[] | undefined>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return headers;
}

function decode(bytes: Buffer, contentType: string | undefined): string {
  const charset = /charset\s*=\s*"?([\w.:-]+)"?/i.exec(contentType ?? '')?.[1];
  try {
    return new TextDecoder(charset ?? 'utf-8').decode(bytes);
  } catch {
    // An unknown charset label: UTF-8 is the best guess for a web API.
    return new TextDecoder('utf-8').decode(bytes);
  }
}
