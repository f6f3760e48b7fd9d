import { describe, expect, it } from 'vitest';
import { databaseUrl, parseEnv, runnerMode } from '@/server/env';

describe('environment', () => {
  it('needs nothing for the embedded defaults', () => {
    const env = parseEnv({});
    expect(databaseUrl(env)).toBe('file:./data/concord.db');
    expect(runnerMode(env)).toBe('embedded');
  });

  it('names every bad value in one message', () => {
    expect(() =>
      parseEnv({ DATABASE_URL: 'mysql://x', NEXTAUTH_URL: 'not a url', CONCORD_SECRET_KEY: 'short' }),
    ).toThrow(
      /DATABASE_URL must start with file:[\s\S]*CONCORD_SECRET_KEY 32 bytes[\s\S]*NEXTAUTH_URL must be a URL/,
    );
  });

  it('requires shared keys when several instances share a libSQL server', () => {
    expect(() => parseEnv({ DATABASE_URL: 'http://127.0.0.1:8080' })).toThrow(
      /CONCORD_SECRET_KEY is required when DATABASE_URL is a libSQL server[\s\S]*NEXTAUTH_SECRET is required/,
    );
    const key = 'a'.repeat(64);
    const env = parseEnv({
      DATABASE_URL: 'http://127.0.0.1:8080',
      CONCORD_SECRET_KEY: key,
      NEXTAUTH_SECRET: 'b'.repeat(32),
    });
    expect(databaseUrl(env)).toBe('http://127.0.0.1:8080');
  });

  it('wants the three OIDC settings together', () => {
    expect(() => parseEnv({ OIDC_ISSUER: 'https://id.example.test' })).toThrow(/must be set together/);
  });

  it('switches to the Inngest runner when Inngest is configured', () => {
    expect(runnerMode(parseEnv({ INNGEST_DEV: '1' }))).toBe('inngest');
    expect(runnerMode(parseEnv({ INNGEST_SIGNING_KEY: 'signkey-prod-123' }))).toBe('inngest');
  });
});
