// Maps a REST source's stored authentication (non-secret config) and its decrypted secrets to the
// transport's AuthConfig. A missing secret is an error naming the secret, never showing any value.
import type { RestSourceConfig } from './config/source-config';
import type { AuthConfig } from './http';

type SecretName = 'apiKey' | 'token' | 'password' | 'clientSecret';

const METHOD_NAMES: Record<RestSourceConfig['auth']['type'], string> = {
  none: 'no',
  apiKey: 'API key',
  bearer: 'bearer token',
  basic: 'basic',
  oauth2: 'OAuth2 client credentials',
};

export function authFromSource(config: RestSourceConfig, secrets: Record<string, string>): AuthConfig {
  const auth = config.auth;
  const secret = (name: SecretName): string => {
    const value = secrets[name];
    // An empty string is as useless as none: the request would go out without working credentials.
    if (typeof value === 'string' && value !== '') return value;
    throw new Error(
      `The source uses ${METHOD_NAMES[auth.type]} authentication but its secret "${name}" is not set; ` +
        'enter it in the source settings.',
    );
  };
  switch (auth.type) {
    case 'none':
      return { type: 'none' };
    case 'apiKey':
      return { type: 'apiKey', in: auth.in, name: auth.name, value: secret('apiKey') };
    case 'bearer':
      return { type: 'bearer', token: secret('token') };
    case 'basic':
      return { type: 'basic', username: auth.username, password: secret('password') };
    case 'oauth2':
      return {
        type: 'oauth2',
        tokenUrl: auth.tokenUrl,
        clientId: auth.clientId,
        clientSecret: secret('clientSecret'),
        ...(auth.scope ? { scope: auth.scope } : {}),
        ...(auth.audience ? { audience: auth.audience } : {}),
      };
  }
}
