// The rules of config/source-secrets.ts: which secret names a source holds, where its secrets go (a
// changed address drops them), which settings are refused as secrets, and what answers mask.
import { describe, expect, it } from 'vitest';
import {
  addressChanged,
  isSecretSettingName,
  isSensitiveName,
  maskedConfig,
  secretNameProblem,
  secretParamsOf,
  settleSensitiveSettings,
} from '@/server/sync/config/source-secrets';

describe('the names refused in settings (whole words, not the log masker’s substrings)', () => {
  const refused = [
    'x-api-key',
    'X-Api-Key',
    'apiKey',
    'APIKey',
    'myApiKeyHeader',
    'xAuth',
    'HTTPAuth',
    'api_key',
    'apikey',
    'access_key',
    'Ocp-Apim-Subscription-Key',
    'private.key',
    'client_key',
    'license-key',
    'authKey',
    'key',
    'Key',
    'token',
    'access_token',
    'X-Auth-Token',
    'accessToken',
    'refreshtoken',
    'secret',
    'client_secret',
    'clientsecret',
    'password',
    'db-passwd',
    'pwd',
    'credential',
    'Credentials',
    'Cookie',
    'Set-Cookie',
    'Authorization',
    'Proxy-Authorization',
    'X-Hub-Signature',
    'session',
    'sessionId',
    'SESSIONID',
    'X-Session-Id',
    'auth',
    'x-auth',
  ];
  const accepted = [
    'author',
    'Author',
    'keyword',
    'keywords',
    'sort_key',
    'sortKey',
    'group-key',
    'monkey',
    'X-Key-Id-Format',
    'authority',
    'authored_by',
    'Accept',
    'Accept-Language',
    'lang',
    'status',
    'page_size',
  ];

  it.each(refused)('refuses %s', (name) => expect(isSecretSettingName(name)).toBe(true));
  it.each(accepted)('accepts %s', (name) => expect(isSecretSettingName(name)).toBe(false));

  it('leaves the broad test to messages and logs, which still mask author and sort_key', () => {
    for (const name of ['author', 'sort_key', 'keyword', 'monkey']) expect(isSensitiveName(name)).toBe(true);
  });

  it('lets a source keep harmless names that hold key or auth, and shows them', () => {
    const config = { baseUrl: 'https://a.test', query: { author: 'ann', sort_key: 'name', monkey: 'y' } };
    const settled = settleSensitiveSettings(config, null, false);
    expect(settled.issues).toEqual([]);
    expect(settled.config).toEqual(config);
    expect(maskedConfig('rest', config)).toEqual(config);
  });
});

describe('secret names', () => {
  it('takes the fixed names of each type and, for REST, header:<name> and query:<name>', () => {
    for (const name of ['apiKey', 'token', 'password', 'clientSecret', 'header:X-Api-Key', 'query:api_key'])
      expect(secretNameProblem('rest', name)).toBeNull();
    expect(secretNameProblem('sql', 'password')).toBeNull();
    expect(secretNameProblem('sql', 'header:X-Api-Key')).toMatch(/no secret called "header:X-Api-Key"/);
    expect(secretNameProblem('rest', 'header:Bad Name')).toMatch(/not a header name/);
    expect(secretNameProblem('rest', 'query:')).toMatch(/needs a name/);
    expect(secretNameProblem('file', 'token')).toMatch(/holds no secrets/);
  });

  it('splits a REST source’s secrets into the headers and query parameters sent with each request', () => {
    expect(secretParamsOf({ token: 't', 'header:Cookie': 'c=1', 'query:sig': 's' })).toEqual({
      headers: { Cookie: 'c=1' },
      query: { sig: 's' },
    });
  });
});

describe('the address secrets were given for', () => {
  const rest = (baseUrl: string, auth: Record<string, unknown> = { type: 'bearer' }) => ({ baseUrl, auth });

  it('changes with the origin of a REST base URL (scheme, host, port), not with its path', () => {
    const before = rest('https://api.example.com/v1');
    expect(addressChanged('rest', before, rest('https://api.example.com:443/v2/'))).toBe(false);
    expect(addressChanged('rest', before, rest('https://API.example.com/v1'))).toBe(false);
    expect(addressChanged('rest', before, rest('http://api.example.com/v1'))).toBe(true);
    expect(addressChanged('rest', before, rest('https://api.example.com:8443/v1'))).toBe(true);
    expect(addressChanged('rest', before, rest('https://attacker.example.net/v1'))).toBe(true);
  });

  it('changes with an OAuth2 token URL on another origin', () => {
    const oauth = (tokenUrl: string) => ({ type: 'oauth2', tokenUrl, clientId: 'c' });
    const before = rest('https://api.example.com', oauth('https://login.example.com/token'));
    expect(
      addressChanged('rest', before, rest('https://api.example.com', oauth('https://login.example.com/t2'))),
    ).toBe(false);
    expect(
      addressChanged('rest', before, rest('https://api.example.com', oauth('https://evil.example.net/t'))),
    ).toBe(true);
    // Leaving OAuth2 sends the secrets nowhere new.
    expect(addressChanged('rest', before, rest('https://api.example.com'))).toBe(false);
  });

  it('changes with an SQL source’s host or port, not its database or user', () => {
    const sql = { dialect: 'postgres', host: 'db.example.com', port: 5432, database: 'crm', user: 'r' };
    expect(addressChanged('sql', sql, { ...sql, database: 'crm2', user: 'w', host: ' DB.example.com' })).toBe(
      false,
    );
    expect(addressChanged('sql', sql, { ...sql, host: 'db.example.net' })).toBe(true);
    expect(addressChanged('sql', sql, { ...sql, port: 5433 })).toBe(true);
  });

  it('changes when an SQL source turns TLS off (the password would cross the network readable), not on', () => {
    const tls = { dialect: 'postgres', host: 'db.example.com', port: 5432, ssl: true };
    expect(addressChanged('sql', tls, { ...tls, ssl: false })).toBe(true);
    expect(addressChanged('sql', { ...tls, ssl: false }, tls)).toBe(false);
    expect(addressChanged('sql', tls, { ...tls })).toBe(false);
  });
});

describe('secret-looking settings', () => {
  it('are refused at their field, a REST source’s others kept', () => {
    const settled = settleSensitiveSettings(
      {
        baseUrl: 'https://a.test',
        headers: { Cookie: 'session=1', Accept: 'text/csv' },
        query: { token: 'x', q: 'y' },
      },
      null,
      false,
    );
    expect(settled.issues.map((i) => i.field)).toEqual(['config.headers.Cookie', 'config.query.token']);
    expect(settled.config).toMatchObject({ headers: { Accept: 'text/csv' }, query: { q: 'y' } });
    expect(settled.moved).toEqual({});
  });

  it('sent back masked keep the value saved there, moved to the secrets, unless the address changed', () => {
    const stored = { baseUrl: 'https://a.test', headers: { 'x-api-key': 'K-1' }, query: { token: 'T-1' } };
    const answered = maskedConfig('rest', stored);
    expect(answered).toEqual({
      baseUrl: 'https://a.test',
      headers: { 'x-api-key': '***' },
      query: { token: '***' },
    });
    const back = { ...answered, headers: { 'X-Api-Key': '***' } };
    expect(settleSensitiveSettings(back, stored, false)).toEqual({
      config: { baseUrl: 'https://a.test', headers: {}, query: {} },
      moved: { 'header:X-Api-Key': 'K-1', 'query:token': 'T-1' },
      issues: [],
    });
    const moved = settleSensitiveSettings(back, stored, true);
    expect(moved.moved).toEqual({});
    expect(moved.issues[0]).toMatchObject({
      field: 'config.headers.X-Api-Key',
      message: expect.stringMatching(/^Changing the address clears/),
    });
    // A mask with nothing stored behind it is no value.
    expect(settleSensitiveSettings({ headers: { Cookie: '***' } }, stored, false).issues).toHaveLength(1);
  });

  it('are masked only for REST sources', () => {
    const sql = { host: 'db', port: 1, user: 'token' };
    expect(maskedConfig('sql', sql)).toBe(sql);
  });
});
