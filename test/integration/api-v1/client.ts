// Calls /api/v1 as a program would: a Request to the Next route handler (app/api/v1/[[...path]]),
// answered with headers and the parsed JSON. The handlers use the process database, so a test points
// DATABASE_URL at its own libSQL file before the first call.
import type { TestDatabase } from '../helpers/database';

type Handler = (req: Request) => Promise<Response>;
let handlers: Record<string, Handler> | null = null;

export async function useDatabase(db: TestDatabase) {
  process.env.DATABASE_URL = `file:${db.file}`;
  const mod = (await import('@/app/api/v1/[[...path]]/route')) as unknown as Record<string, Handler>;
  handlers = mod;
}

export interface Answer<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export async function call<T = any>(
  method: string,
  path: string,
  options: { key?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
): Promise<Answer<T>> {
  if (!handlers) throw new Error('call useDatabase(db) first');
  const headers: Record<string, string> = { ...options.headers };
  if (options.key) headers.authorization = `Bearer ${options.key}`;
  const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await handlers[method]!(
    new Request(`http://127.0.0.1/api/v1${path}`, { method, headers, body }),
  );
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
}
