// Puts credentials on a request — API key, bearer token, basic, or an OAuth2 access token — and
// registers every secret with the redactor first, so that no message can ever show one.
import { basic, TokenSource, type PostForm } from './oauth2';
import type { Redactor } from './redact';
import type { AuthConfig, HttpEvent, SecretParams } from './types';
import type { WireRequest } from './transport';

export type Authorized = { ok: true; wire: WireRequest; token?: string } | { ok: false; reason: string };

export interface Authorizer {
  apply(wire: WireRequest): Promise<Authorized>;
  /** After a 401 with this token: true when a new credential may help, so one more try is worth it. */
  refused(token: string | undefined): boolean;
}

export interface AuthDeps {
  redactor: Redactor;
  post: PostForm;
  now: () => number;
  onEvent?: (event: HttpEvent) => void;
}

export function createAuthorizer(auth: AuthConfig | undefined, deps: AuthDeps): Authorizer {
  const { redactor } = deps;
  const withHeader = (wire: WireRequest, name: string, value: string): WireRequest => ({
    ...wire,
    headers: { ...wire.headers, [name.toLowerCase()]: value },
  });
  const fixed = (change: (wire: WireRequest) => WireRequest): Authorizer => ({
    apply: (wire) => Promise.resolve({ ok: true, wire: change(wire) }),
    refused: () => false,
  });

  if (!auth) return fixed((wire) => wire);
  switch (auth.type) {
    case 'none':
      return fixed((wire) => wire);
    case 'apiKey': {
      const { in: place, name, value } = auth;
      redactor.add(value);
      if (place === 'header') return fixed((wire) => withHeader(wire, name, value));
      return fixed((wire) => {
        const url = new URL(wire.url);
        url.searchParams.set(name, value);
        return { ...wire, url };
      });
    }
    case 'bearer': {
      const { token } = auth;
      redactor.add(token);
      return fixed((wire) => withHeader(wire, 'authorization', `Bearer ${token}`));
    }
    case 'basic': {
      const { username, password } = auth;
      const encoded = basic(username, password);
      redactor.add(password);
      redactor.add(encoded);
      return fixed((wire) => withHeader(wire, 'authorization', `Basic ${encoded}`));
    }
    case 'oauth2': {
      const tokens = new TokenSource(auth, deps.post, deps.now, redactor, deps.onEvent);
      return {
        apply: async (wire) => {
          const got = await tokens.token();
          if (!got.ok) return got;
          return {
            ok: true,
            wire: withHeader(wire, 'authorization', `Bearer ${got.token}`),
            token: got.token,
          };
        },
        refused: (token) => {
          if (token) tokens.invalidate(token);
          return token !== undefined;
        },
      };
    }
  }
}

/**
 * Puts a source's secret headers and query parameters on a request before `inner`'s credentials (which
 * win where both name the same header). Applied where the authentication is — to the configured API's
 * origin only, on each attempt — so the values never enter a URL that a page, a cursor or a message
 * keeps; they are registered with the redactor first.
 */
export function withSecretParams(
  inner: Authorizer,
  params: SecretParams | undefined,
  redactor: Redactor,
): Authorizer {
  const headers = Object.entries(params?.headers ?? {});
  const query = Object.entries(params?.query ?? {});
  if (headers.length === 0 && query.length === 0) return inner;
  for (const [, value] of [...headers, ...query]) redactor.add(value);
  const add = (wire: WireRequest): WireRequest => {
    let url = wire.url;
    if (query.length > 0) {
      url = new URL(wire.url);
      for (const [name, value] of query) url.searchParams.set(name, value);
    }
    const secret = Object.fromEntries(headers.map(([name, value]) => [name.toLowerCase(), value]));
    return { ...wire, url, headers: { ...wire.headers, ...secret } };
  };
  return { apply: (wire) => inner.apply(add(wire)), refused: (token) => inner.refused(token) };
}
