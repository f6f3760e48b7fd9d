// The one door of /api/v1: authenticate the key (Authorization: Bearer), count it against its rate
// limit, find the route, check the scope, validate path/query/body with the route's zod schemas, honour
// Idempotency-Key (POST) and If-Match, call the handler, and answer JSON — or a problem (RFC 9457).
// The key's organisation is passed to the services as the tenant, exactly as the tRPC gate passes a
// member's: another organisation's ids are simply not found (404).
import { z } from 'zod';
import { getDb, type Db } from '@/server/db/client';
import { authenticateApiKey, type ApiCaller } from '@/server/services/api-keys';
import { UserError } from '@/server/services/errors';
import { InvalidInput, issuesOf } from '@/server/services/field-issues';
import { nestedDeeperThan, nestingReason } from '@/server/sync/core/nesting';
import type { FileBody, HandlerResult, Method, RouteDef } from './define';
import { readBounded } from '../read-bounded';
import { reserve } from './idempotency';
import { ApiProblem, fieldOf, problemResponse } from './problem';
import { countRequest } from './rate-limit';
import { ROUTES } from './routes';
import { bearerToken } from '../bearer';

export const API_BASE = '/api/v1';
/** Bodies up to 8 MiB: a batch of objects is the largest thing sent. */
const MAX_BODY_BYTES = 8 * 1024 * 1024;
/** Routes that answer without a key. */
const PUBLIC_PATHS = new Set(['/openapi.json']);

interface Match {
  route: RouteDef;
  params: Record<string, string>;
}

/** A path parameter as sent; a broken escape (`%E0%A4%A`, a lone `%`) is the client's mistake, not a 500. */
function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new ApiProblem(
      400,
      `The path segment "${segment}" is not valid percent-encoding: encode ids with encodeURIComponent.`,
    );
  }
}

function matchRoute(method: string, path: string): { match?: Match; allowed: Method[] } {
  const segments = path.split('/').filter(Boolean);
  const allowed: Method[] = [];
  for (const route of ROUTES) {
    const pattern = route.path.split('/').filter(Boolean);
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const fits = pattern.every((part, i) => {
      const m = /^\{(\w+)\}$/.exec(part);
      if (m) {
        params[m[1]!] = decodeSegment(segments[i]!);
        return true;
      }
      return part === segments[i];
    });
    if (!fits) continue;
    allowed.push(route.method);
    if (route.method === method) return { match: { route, params }, allowed };
  }
  return { allowed };
}

function parse<T extends z.ZodType>(schema: T, value: unknown, where: 'body' | 'query' | 'path') {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = issuesOf(parsed.error).map((i) => fieldOf(where, i));
  throw new ApiProblem(400, issues.map((i) => `${i.field}: ${i.detail}`).join(' '), issues);
}

async function readBody(req: Request): Promise<{ raw: string; value: unknown }> {
  const length = Number(req.headers.get('content-length') ?? 0);
  if (length > MAX_BODY_BYTES) throw new ApiProblem(413, `The body is larger than ${MAX_BODY_BYTES} bytes.`);
  // Counted as it arrives: a chunked body without a Content-Length is cut off at the cap, not read whole.
  const bytes = await readBounded(req.body, MAX_BODY_BYTES);
  if (bytes === null) throw new ApiProblem(413, `The body is larger than ${MAX_BODY_BYTES} bytes.`);
  const raw = new TextDecoder().decode(bytes);
  if (raw.trim() === '') return { raw, value: undefined };
  let value: unknown;
  try {
    value = JSON.parse(raw) as unknown;
  } catch (error) {
    throw new ApiProblem(400, `The body is not valid JSON: ${(error as Error).message}`);
  }
  if (nestedDeeperThan(value)) throw new ApiProblem(400, `${nestingReason('The body')}.`);
  return { raw, value };
}

/** A file route's body as it arrives (its size is bounded by the handler as it streams). */
function fileBody(req: Request): FileBody {
  const length = req.headers.get('content-length');
  const declared = length === null ? NaN : Number(length);
  return {
    stream: req.body,
    contentType: req.headers.get('content-type') ?? '',
    ...(Number.isFinite(declared) ? { declaredSize: declared } : {}),
  };
}

/** `"3"` or `W/"3"` → 3; `*` or nothing → undefined. */
function readIfMatch(header: string | null): number | undefined {
  if (!header || header.trim() === '*') return undefined;
  const m = /^(?:W\/)?"(\d+)"$/.exec(header.trim());
  if (!m) throw new ApiProblem(400, 'If-Match takes the ETag of an earlier answer, such as "3".');
  return Number(m[1]);
}

const etagOf = (version: number) => `"${version}"`;

/** Services' expected failures → problems; a field named by the service is kept. */
function toProblem(error: unknown): ApiProblem | null {
  if (error instanceof ApiProblem) return error;
  if (error instanceof InvalidInput) {
    const errors = error.issues.map((i) => fieldOf('body', i));
    return new ApiProblem(400, error.message, errors);
  }
  if (error instanceof z.ZodError) {
    const errors = issuesOf(error).map((i) => fieldOf('body', i));
    return new ApiProblem(400, errors.map((e) => e.detail).join(' '), errors);
  }
  if (error instanceof UserError) {
    const status = {
      BAD_REQUEST: 400,
      NOT_FOUND: 404,
      CONFLICT: 409,
      FORBIDDEN: 403,
      TOO_MANY_REQUESTS: 429,
    }[error.code];
    const errors = error.field
      ? [fieldOf('body', { field: error.field, message: error.message })]
      : undefined;
    return new ApiProblem(status, error.message, errors);
  }
  return null;
}

const bearer = (req: Request): string => bearerToken(req.headers.get('authorization'));

function linkHeader(req: Request, next: Record<string, string>): string {
  const url = new URL(req.url);
  for (const [k, v] of Object.entries(next)) url.searchParams.set(k, v);
  return `<${url.pathname}${url.search}>; rel="next"`;
}

export async function handleApiRequest(req: Request, db: Db = getDb()): Promise<Response> {
  const url = new URL(req.url);
  const path = url.pathname.startsWith(API_BASE) ? url.pathname.slice(API_BASE.length) || '/' : url.pathname;
  let headers: Record<string, string> = {};
  try {
    const { match, allowed } = matchRoute(req.method, path);
    let caller: ApiCaller | null = null;
    if (!(match && PUBLIC_PATHS.has(match.route.path))) {
      const key = bearer(req);
      const found = key ? await authenticateApiKey(db, key) : null;
      if (found && 'stopped' in found)
        throw new ApiProblem(
          found.stopped.status,
          found.stopped.reason,
          undefined,
          found.stopped.status === 401 ? { 'WWW-Authenticate': 'Bearer error="invalid_token"' } : undefined,
        );
      caller = found;
      if (!caller)
        throw new ApiProblem(
          401,
          'Send a valid, unexpired API key as `Authorization: Bearer cnc_…`.',
          undefined,
          {
            'WWW-Authenticate': 'Bearer',
          },
        );
      const limit = await countRequest(db, caller.keyId);
      headers = limit.headers;
      if (!limit.allowed)
        throw new ApiProblem(
          429,
          `This key made too many requests: retry in ${limit.retryAfter} s.`,
          undefined,
          {
            ...limit.headers,
            'Retry-After': String(limit.retryAfter),
          },
        );
    }
    if (!match) {
      if (allowed.length > 0)
        throw new ApiProblem(
          405,
          `${req.method} is not supported here; use ${allowed.join(', ')}.`,
          undefined,
          {
            Allow: allowed.join(', '),
          },
        );
      throw new ApiProblem(
        404,
        `There is no ${API_BASE}${path}: see ${API_BASE}/openapi.json for the routes.`,
      );
    }
    const { route } = match;
    if (caller && !caller.scopes.includes(route.scope) && !caller.scopes.includes('admin'))
      throw new ApiProblem(403, `This API key does not have the "${route.scope}" scope this route needs.`);

    const params = route.params ? parse(route.params, match.params, 'path') : {};
    const query = route.query ? parse(route.query, Object.fromEntries(url.searchParams), 'query') : {};
    const { raw, value } = route.body ? await readBody(req) : { raw: '', value: undefined };
    const body = route.body ? parse(route.body, value, 'body') : undefined;
    const ifMatch = route.etag ? readIfMatch(req.headers.get('if-match')) : undefined;
    const file = route.file ? fileBody(req) : undefined;

    const idempotencyKey = req.method === 'POST' ? req.headers.get('idempotency-key') : null;
    const reservation =
      idempotencyKey && caller
        ? await reserve(
            db,
            caller.keyId,
            idempotencyKey,
            `${req.method} ${path}`,
            // A file is streamed, not read before the handler: it is known by what the request declares.
            file ? `${url.search} ${file.contentType} ${file.declaredSize ?? ''}` : raw,
          )
        : null;
    if (reservation?.kind === 'replay')
      return new Response(reservation.body, {
        status: reservation.status,
        headers: { 'content-type': 'application/json', 'Idempotent-Replayed': 'true', ...headers },
      });

    let result: HandlerResult;
    try {
      result = await route.handler({ db, caller: caller!, params, query, body, ifMatch, file });
    } catch (error) {
      if (reservation?.kind === 'new') await reservation.release();
      throw error;
    }
    const status = result.status ?? route.status ?? 200;
    const out = result.body === undefined ? '' : JSON.stringify(result.body);
    if (reservation?.kind === 'new') await reservation.complete(status, out);
    const answer: Record<string, string> = { ...headers };
    if (out) answer['content-type'] = 'application/json';
    if (result.version !== undefined) answer.ETag = etagOf(result.version);
    if (result.next) answer.Link = linkHeader(req, result.next);
    if (
      req.method === 'GET' &&
      result.version !== undefined &&
      req.headers.get('if-none-match') === etagOf(result.version)
    )
      return new Response(null, { status: 304, headers: answer });
    return new Response(status === 204 ? null : out, { status, headers: answer });
  } catch (error) {
    const problem = toProblem(error);
    if (!problem) {
      console.error('api/v1', req.method, path, error);
      return problemResponse(
        new ApiProblem(500, 'Something went wrong on our side; it has been logged.'),
        path,
      );
    }
    return problemResponse(
      problem.headers ? problem : new ApiProblem(problem.status, problem.detail, problem.errors, headers),
      `${API_BASE}${path}`,
    );
  }
}
