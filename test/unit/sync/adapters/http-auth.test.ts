// authFromSource: each stored authentication with its secret becomes the transport's AuthConfig; a
// missing secret is an error that names it and shows no other secret.
import { describe, expect, it } from 'vitest';
import { restSourceConfig } from '@/server/sync/config/source-config';
import { authFromSource } from '@/server/sync/http-auth';

const config = (auth: unknown) => restSourceConfig.parse({ baseUrl: 'https://api.example.test', auth });
const secrets = { apiKey: 'k-1234', token: 't-5678', password: 'p-9012', clientSecret: 'c-3456' };

describe('authFromSource', () => {
  it.each([
    [{ type: 'none' }, { type: 'none' }],
    [
      { type: 'apiKey', in: 'query', name: 'api_key' },
      { type: 'apiKey', in: 'query', name: 'api_key', value: 'k-1234' },
    ],
    [{ type: 'bearer' }, { type: 'bearer', token: 't-5678' }],
    [
      { type: 'basic', username: 'ann' },
      { type: 'basic', username: 'ann', password: 'p-9012' },
    ],
    [
      { type: 'oauth2', tokenUrl: 'https://id.example.test/token', clientId: 'concord', scope: 'read' },
      {
        type: 'oauth2',
        tokenUrl: 'https://id.example.test/token',
        clientId: 'concord',
        clientSecret: 'c-3456',
        scope: 'read',
      },
    ],
  ])('maps %o', (auth, expected) => {
    expect(authFromSource(config(auth), secrets)).toEqual(expected);
  });

  it.each([
    [{ type: 'apiKey', in: 'header', name: 'X-Key' }, 'apiKey'],
    [{ type: 'bearer' }, 'token'],
    [{ type: 'basic', username: 'ann' }, 'password'],
    [{ type: 'oauth2', tokenUrl: 'https://id.example.test/token', clientId: 'c' }, 'clientSecret'],
  ])('names the missing secret of %o', (auth, name) => {
    const others = Object.fromEntries(Object.entries(secrets).filter(([key]) => key !== name));
    let message = '';
    try {
      authFromSource(config(auth), { ...others, [name]: '' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain(`secret "${name}" is not set`);
    for (const value of Object.values(secrets)) expect(message).not.toContain(value);
  });
});
