// What a source of each type is configured with (non-secret), and which secrets it may hold.
// Shared by the API (validation on save), the UI (forms) and the source adapters.
import { z } from 'zod';
import { strictObject } from '../core/strict-object';

const stringRecord = z.record(z.string().min(1), z.string()).default({});

export const restAuthSchema = z.discriminatedUnion('type', [
  strictObject({ type: z.literal('none') }),
  strictObject({ type: z.literal('apiKey'), in: z.enum(['header', 'query']), name: z.string().min(1) }),
  strictObject({ type: z.literal('bearer') }),
  strictObject({ type: z.literal('basic'), username: z.string().min(1) }),
  strictObject({
    type: z.literal('oauth2'),
    tokenUrl: z.url(),
    clientId: z.string().min(1),
    scope: z.string().optional(),
    audience: z.string().optional(),
  }),
]);

export const restSourceConfig = strictObject({
  // Phrased by services/field-issues.ts: "Base URL must be an http(s) URL, such as …".
  baseUrl: z.url({ protocol: /^https?$/ }),
  headers: stringRecord,
  query: stringRecord,
  timeoutMs: z.number().int().min(1000).max(300_000).default(30_000),
  /** The whole answer to one request (headers and body) must arrive within this: a trickle is cut off. */
  deadlineMs: z.number().int().min(1000).max(600_000).default(60_000),
  auth: restAuthSchema.default({ type: 'none' }),
  /**
   * The request budget of this API's host, shared by every synchronisation and run of this process that
   * reads from or writes to it (http/host-budget.ts); where several sources name the same host, the
   * strictest applies. Left out: no limit of Concord's own (the host's 429s and RateLimit headers still are).
   */
  rateLimit: strictObject({
    requestsPerSecond: z.number().positive().max(10_000).optional(),
    maxConcurrency: z.int().min(1).max(256).optional(),
  }).default({}),
});

export const fileSourceConfig = strictObject({
  format: z.enum(['csv', 'json', 'xml']),
  fileId: z.string().optional(),
  csv: z
    .object({
      delimiter: z.string().max(1).optional(),
      quote: z.string().max(1).optional(),
      encoding: z.enum(['utf-8', 'utf-16le', 'utf-16be', 'latin1', 'windows-1252']).optional(),
      /**
       * The column that identifies a row, chosen in the file's preview. When set, it is the id field of
       * every synchronisation of this source (config/csv-id.ts), so the preview and the runs agree.
       */
      idColumn: z.string().trim().min(1).max(300).optional(),
    })
    .default({}),
});

export const registerSourceConfig = strictObject({
  registerId: z.string().min(1),
  schemaId: z.string().min(1),
});

export const sqlSourceConfig = strictObject({
  dialect: z.enum(['postgres', 'mysql']),
  host: z.string().min(1),
  port: z.number().int().min(1).max(65_535),
  database: z.string().min(1),
  user: z.string().min(1),
  /** Verified TLS: the server's certificate must be valid for the host name. */
  ssl: z.boolean().default(false),
  /** The statement timeout of every query a synchronisation or a connection test runs. */
  timeoutMs: z.number().int().min(1000).max(600_000).default(60_000),
});

export const SOURCE_CONFIG_SCHEMAS = {
  rest: restSourceConfig,
  file: fileSourceConfig,
  register: registerSourceConfig,
  sql: sqlSourceConfig,
} as const;

/** The secret names each type accepts; values are write-only and encrypted at rest. */
export const SOURCE_SECRET_NAMES = {
  rest: ['apiKey', 'token', 'password', 'clientSecret'],
  file: [],
  register: [],
  sql: ['password'],
} as const satisfies Record<keyof typeof SOURCE_CONFIG_SCHEMAS, readonly string[]>;

export type RestSourceConfig = z.infer<typeof restSourceConfig>;
export type FileSourceConfig = z.infer<typeof fileSourceConfig>;
export type RegisterSourceConfig = z.infer<typeof registerSourceConfig>;
export type SqlSourceConfig = z.infer<typeof sqlSourceConfig>;
