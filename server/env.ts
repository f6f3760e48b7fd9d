// The environment, validated once with zod. A bad value stops Concord with a message that names it.
import { z } from 'zod';
import { parseTrustedProxies } from './auth/client-address';
import { DEFAULT_RETRY_DELAYS_MS, parseRetryDelays } from './sync/core/retry-backoff';

const optionalString = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

const flag = z
  .enum(['1', '0', 'true', 'false', ''])
  .optional()
  .transform((v) => v === '1' || v === 'true');

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    CONCORD_DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: optionalString.pipe(
      z
        .string()
        .regex(/^(file:|libsql:|https?:|wss?:)/, 'must start with file:, libsql:, http(s): or ws(s):')
        .optional(),
    ),
    DATABASE_AUTH_TOKEN: optionalString,
    CONCORD_SECRET_KEY: optionalString.pipe(
      z
        .string()
        .refine((v) => decodeKey(v) !== null, '32 bytes as 64 hex characters or base64 are required')
        .optional(),
    ),
    NEXTAUTH_SECRET: optionalString.pipe(z.string().min(32, 'must be at least 32 characters').optional()),
    NEXTAUTH_URL: optionalString.pipe(z.url('must be a URL such as http://localhost:3000').optional()),
    OIDC_ISSUER: optionalString.pipe(z.url('must be the issuer URL of your identity provider').optional()),
    OIDC_CLIENT_ID: optionalString,
    OIDC_CLIENT_SECRET: optionalString,
    OIDC_NAME: z.string().default('Single sign-on'),
    INNGEST_EVENT_KEY: optionalString,
    INNGEST_SIGNING_KEY: optionalString,
    INNGEST_DEV: flag,
    // Allows sources on private networks and localhost (a single-machine install talking to its neighbours).
    CONCORD_ALLOW_PRIVATE_URLS: flag,
    // Who may create an account with a password: anyone, or only people with an invitation link (the
    // very first account of an install excepted).
    CONCORD_SIGN_UP: optionalString.pipe(
      z.enum(['open', 'invitation'], { error: 'must be "open" or "invitation"' }).default('open'),
    ),
    // Register changes are pushed once their object has not changed for this long (a burst coalesces).
    CONCORD_PUSH_DEBOUNCE_MS: optionalString
      .transform((v) => (v === undefined ? 2_000 : Number(v)))
      .pipe(
        z
          .number({ error: 'must be a number of milliseconds' })
          .int('must be a whole number of milliseconds')
          .min(0, 'must be 0 or more')
          .max(600_000, 'must be at most 600000 (ten minutes)'),
      ),
    // How long a push that did not get through waits before it is tried again: a delay per attempt, the
    // last one repeating (sync/core/retry-backoff.ts).
    CONCORD_PUSH_RETRY_DELAYS_MS: optionalString.transform((value, ctx) => {
      if (value === undefined) return DEFAULT_RETRY_DELAYS_MS;
      const delays = parseRetryDelays(value);
      if (typeof delays !== 'string') return delays;
      ctx.addIssue({ code: 'custom', message: delays });
      return z.NEVER;
    }),
    // Reverse proxies in front of Concord whose X-Forwarded-For entries are believed (sign-in throttling).
    CONCORD_TRUSTED_PROXIES: optionalString.transform((value, ctx) => {
      const ranges = parseTrustedProxies(value ?? '');
      if (typeof ranges !== 'string') return ranges;
      ctx.addIssue({ code: 'custom', message: ranges });
      return z.NEVER;
    }),
  })
  .superRefine((env, ctx) => {
    const oidc = [env.OIDC_ISSUER, env.OIDC_CLIENT_ID, env.OIDC_CLIENT_SECRET].filter(Boolean).length;
    if (oidc > 0 && oidc < 3) {
      ctx.addIssue({
        code: 'custom',
        path: ['OIDC_ISSUER'],
        message: 'OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET must be set together',
      });
    }
    // Several instances sharing one database must share their keys: a generated key file would differ.
    if (env.DATABASE_URL && !env.DATABASE_URL.startsWith('file:')) {
      for (const key of ['CONCORD_SECRET_KEY', 'NEXTAUTH_SECRET'] as const) {
        if (!env[key]) {
          ctx.addIssue({
            code: 'custom',
            path: [key],
            message: 'is required when DATABASE_URL is a libSQL server',
          });
        }
      }
    }
  });

export type Env = z.infer<typeof schema>;

export class EnvError extends Error {
  override name = 'EnvError';
}

export function decodeKey(value: string): Buffer | null {
  if (/^[0-9a-fA-F]{64}$/.test(value)) return Buffer.from(value, 'hex');
  const buf = Buffer.from(value, 'base64');
  return buf.length === 32 ? buf : null;
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const parsed = schema.safeParse(source);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => `  - ${issue.path.join('.') || '(env)'} ${issue.message}`);
  throw new EnvError(`Concord cannot start: the environment has bad values:\n${lines.join('\n')}`);
}

let cached: Env | undefined;

/** The validated environment of this process (parsed on first use). */
export function env(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}

/** Where the database lives: DATABASE_URL, or a file in the data folder. */
export function databaseUrl(e: Env = env()): string {
  return e.DATABASE_URL ?? `file:${e.CONCORD_DATA_DIR.replace(/\/$/, '')}/concord.db`;
}

/** Embedded mode runs syncs in-process; with Inngest keys (or INNGEST_DEV) the Inngest server does. */
export function runnerMode(e: Env = env()): 'embedded' | 'inngest' {
  return e.INNGEST_SIGNING_KEY || e.INNGEST_DEV ? 'inngest' : 'embedded';
}
