// Calls /api/v1 as a program would, through a client generated from the OpenAPI document
// (openapi.d.ts by openapi-typescript, requests by openapi-fetch): each call type-checks against the
// document. Requests go to the Next route handler (app/api/v1/[[...path]]) as Request objects; the
// handlers use the process database, so a test points DATABASE_URL at its libSQL file first.
import createClient from 'openapi-fetch';
import type { TestDatabase } from '../helpers/database';
import type { components, paths } from './openapi';

type Handler = (req: Request) => Promise<Response>;
let handlers: Record<string, Handler> | null = null;

export type Problem = components['schemas']['Problem'];

export async function useDatabase(db: TestDatabase) {
  process.env.DATABASE_URL = `file:${db.file}`;
  handlers = (await import('@/app/api/v1/[[...path]]/route')) as unknown as Record<string, Handler>;
}

/** A request as built by hand, for what neither client can send (a body streamed in chunks). */
export function send(req: Request): Promise<Response> {
  if (!handlers) throw new Error('call useDatabase(db) first');
  return handlers[req.method]!(req);
}

export const BASE = 'http://127.0.0.1/api/v1';

/** The generated client, calling with `key`. */
export function apiClient(key?: string) {
  return createClient<paths>({
    baseUrl: BASE,
    headers: key ? { authorization: `Bearer ${key}` } : {},
    fetch: send,
  });
}

/** A raw request, for what a typed client cannot send (broken JSON, a path from a Link header). */
export async function raw(
  method: string,
  path: string,
  options: { key?: string; body?: string; headers?: Record<string, string> } = {},
) {
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await send(new Request(`${BASE}${path}`, { method, headers, body: options.body }));
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as unknown };
}

/** The problem of a failed call: what the generated client hands back as `error`. */
export function problemOf(error: unknown): Problem {
  if (!error || typeof error !== 'object' || !('status' in error))
    throw new Error(`not a problem: ${String(error)}`);
  return error as Problem;
}
