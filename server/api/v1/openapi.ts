// The OpenAPI 3.1 document of /api/v1, generated from the route list and the very zod schemas the
// dispatcher validates with (zod 4's toJSONSchema; OpenAPI 3.1 speaks JSON Schema 2020-12). Schemas
// named with `.meta({ id })` become components.
import { z } from 'zod';
import { API_SCOPES } from '@/server/db/schema';
import type { RouteDef } from './define';
import { Problem } from './resources';
import { ROUTES } from './routes';

type Json = Record<string, unknown>;

const SCOPE_TEXT: Record<(typeof API_SCOPES)[number], string> = {
  read: 'read everything the organisation holds',
  write: 'create, change and delete data and configuration, push objects in',
  run: 'run synchronisations and cancel runs',
  admin: 'everything above',
};

/** One zod schema → JSON Schema, its named parts moved to `components`. */
function convert(schema: z.ZodType, io: 'input' | 'output', components: Json): Json {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io, unrepresentable: 'any' }) as Json;
  const defs = (json.$defs ?? {}) as Json;
  delete json.$defs;
  delete json.$schema;
  const rewrite = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(rewrite);
    if (value && typeof value === 'object') {
      const out: Json = {};
      for (const [k, v] of Object.entries(value))
        out[k] =
          k === '$ref' && typeof v === 'string' ? v.replace('#/$defs/', '#/components/schemas/') : rewrite(v);
      return out;
    }
    return value;
  };
  for (const [name, def] of Object.entries(defs)) components[name] = rewrite(def);
  const id = schema.meta()?.id;
  // A named root comes back as a $ref to its own definition (moved to components above).
  if (typeof id === 'string' && typeof json.$ref === 'string') return rewrite(json) as Json;
  if (typeof id === 'string') {
    components[id] = rewrite(json);
    return { $ref: `#/components/schemas/${id}` };
  }
  return rewrite(json) as Json;
}

function parameters(route: RouteDef, components: Json) {
  const out: Json[] = [];
  for (const [where, schema] of [
    ['path', route.params],
    ['query', route.query],
  ] as const) {
    if (!schema) continue;
    const json = convert(schema, 'input', components);
    const props = (json.properties ?? {}) as Record<string, Json>;
    const required = new Set((json.required ?? []) as string[]);
    for (const [name, prop] of Object.entries(props)) {
      const { description, ...rest } = prop;
      out.push({
        name,
        in: where,
        required: where === 'path' || required.has(name),
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  }
  if (route.method === 'POST')
    out.push({
      name: 'Idempotency-Key',
      in: 'header',
      required: false,
      description: 'Retrying with the same key and body replays the first answer instead of acting twice.',
      schema: { type: 'string', maxLength: 255 },
    });
  if (route.etag && route.method !== 'GET' && route.method !== 'POST')
    out.push({
      name: 'If-Match',
      in: 'header',
      required: false,
      description: 'The ETag you read: a change made since then is refused with 412.',
      schema: { type: 'string' },
    });
  return out;
}

const problemAnswer = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
});

const rateHeaders = {
  'RateLimit-Limit': { description: 'Requests allowed per window.', schema: { type: 'integer' } },
  'RateLimit-Remaining': { description: 'Requests left in this window.', schema: { type: 'integer' } },
  'RateLimit-Reset': { description: 'Seconds until the window resets.', schema: { type: 'integer' } },
};

function operation(route: RouteDef, components: Json): Json {
  const status = String(route.status ?? 200);
  const headers: Json = { ...rateHeaders };
  if (route.etag) headers.ETag = { description: 'The object’s version.', schema: { type: 'string' } };
  if (route.paginated)
    headers.Link = { description: 'The next page: `<…>; rel="next"`.', schema: { type: 'string' } };
  const success: Json =
    status === '204'
      ? { description: 'Done.', headers }
      : {
          description: 'OK',
          headers,
          content: { 'application/json': { schema: convert(route.response, 'output', components) } },
        };
  const op: Json = {
    operationId: route.operationId,
    tags: [route.tag],
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    'x-scope': route.scope,
    parameters: parameters(route, components),
    responses: {
      [status]: success,
      '400': problemAnswer('Bad input: `errors` names each field.'),
      '401': problemAnswer('No valid key.'),
      '403': problemAnswer('The key lacks the scope.'),
      '404': problemAnswer('Not found (also: another organisation’s).'),
      ...(route.method !== 'GET'
        ? {
            '409': problemAnswer(
              'In conflict with the current state (a run already under way, a deleted object, something still in use): `detail` says which.',
            ),
          }
        : {}),
      ...(route.etag && route.method !== 'GET' ? { '412': problemAnswer('If-Match did not match.') } : {}),
      ...(route.body || route.file ? { '413': problemAnswer('The body is larger than the limit.') } : {}),
      ...(route.method === 'POST'
        ? { '422': problemAnswer('This Idempotency-Key was used for another request.') }
        : {}),
      '429': {
        ...problemAnswer('Too many requests: wait `Retry-After` seconds.'),
        headers: { 'Retry-After': { schema: { type: 'integer' } } },
      },
    },
  };
  if (route.path !== '/openapi.json') op.security = [{ apiKey: [route.scope] }];
  else op.security = [];
  if (route.file) {
    // The file itself is the body; the example (a JSON file) is shown under application/json.
    op.requestBody = {
      required: true,
      description: route.file.description,
      content: Object.fromEntries(
        route.file.mediaTypes.map((type) => [
          type,
          type === 'application/json'
            ? { schema: {}, ...(route.example !== undefined ? { example: route.example } : {}) }
            : { schema: { type: 'string', contentMediaType: type } },
        ]),
      ),
    };
  }
  if (route.body) {
    const schema = convert(route.body, 'input', components);
    op.requestBody = {
      required: !(route.body instanceof z.ZodOptional || route.body instanceof z.ZodDefault),
      content: {
        'application/json': { schema, ...(route.example !== undefined ? { example: route.example } : {}) },
      },
    };
  }
  return op;
}

let cached: Json | null = null;

export function openApiDocument(): Json {
  if (cached) return cached;
  const components: Json = {};
  convert(Problem, 'output', components);
  const paths: Record<string, Json> = {};
  for (const route of ROUTES) {
    paths[route.path] ??= {};
    paths[route.path]![route.method.toLowerCase()] = operation(route, components);
  }
  cached = {
    openapi: '3.1.0',
    info: {
      title: 'Concord API',
      version: '1.0.0',
      description:
        'Everything people do in Concord, for programs. Authenticate with an organisation API key: ' +
        '`Authorization: Bearer cnc_…` (Settings › API keys). Errors are RFC 9457 problem details. ' +
        `Scopes: ${API_SCOPES.map((s) => `\`${s}\` (${SCOPE_TEXT[s]})`).join(', ')}.`,
    },
    servers: [{ url: '/api/v1' }],
    security: [{ apiKey: [] }],
    paths,
    components: {
      schemas: components,
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'An organisation API key (cnc_…).' },
      },
    },
  };
  return cached;
}
