// One route of /api/v1 as data: method, path, scope, the zod schemas of its input and answer, and the
// handler over the services. The dispatcher (handle.ts), the OpenAPI document (openapi.ts) and the
// tenancy test all read the same list (routes/index.ts).
import type { z } from 'zod';
import type { Db } from '@/server/db/client';
import type { ApiScope } from '@/server/db/schema';
import type { ApiCaller } from '@/server/services/api-keys';

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface HandlerContext<P, Q, B> {
  db: Db;
  caller: ApiCaller;
  params: P;
  query: Q;
  body: B;
  /** The version an `If-Match: "<version>"` header asks for; undefined without one (or `*`). */
  ifMatch?: number;
  /** A `file` route's body, unread: the handler streams it (and bounds its size) itself. */
  file?: FileBody;
}

export interface FileBody {
  stream: ReadableStream<Uint8Array> | null;
  contentType: string;
  /** The Content-Length the client declared, when it sent one: a body announced too large is refused unread. */
  declaredSize?: number;
}

/** What a handler answers: the body, and for lists what the next page's query is (→ `Link`). */
export interface HandlerResult {
  status?: number;
  body: unknown;
  /** Query parameters of the next page; the dispatcher turns them into `Link: <…>; rel="next"`. */
  next?: Record<string, string> | null;
  /** The object's version, answered as `ETag: "<version>"`. */
  version?: number;
}

export interface RouteDef<
  P extends z.ZodObject = z.ZodObject,
  Q extends z.ZodObject = z.ZodObject,
  B extends z.ZodType = z.ZodType,
> {
  method: Method;
  /** OpenAPI style: `/registers/{registerId}`. */
  path: string;
  operationId: string;
  tag: string;
  summary: string;
  description?: string;
  scope: ApiScope;
  params?: P;
  query?: Q;
  body?: B;
  /**
   * The body is a file, not JSON (an upload): not read by the dispatcher but handed to the handler as
   * `ctx.file`, so it can be streamed into storage. The media types it takes, for the OpenAPI document.
   */
  file?: { mediaTypes: string[]; description: string };
  response: z.ZodType;
  /** 200 unless said; 201 for creates, 202 for runs requested. */
  status?: number;
  /** Answers carry an ETag and PUT/PATCH/DELETE honour If-Match. */
  etag?: boolean;
  /** Answers carry `Link` headers for the next page. */
  paginated?: boolean;
  /** One example request body for the reference page (it is run by the tests). */
  example?: unknown;
  handler: (ctx: HandlerContext<z.output<P>, z.output<Q>, z.output<B>>) => Promise<HandlerResult>;
}

/** Keeps each route's handler typed by its own schemas while the list holds them all. */
export function route<P extends z.ZodObject, Q extends z.ZodObject, B extends z.ZodType>(
  def: RouteDef<P, Q, B>,
): RouteDef {
  // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- widens the handler's input
  return def as unknown as RouteDef;
}
