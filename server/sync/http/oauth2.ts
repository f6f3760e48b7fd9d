// OAuth2 client credentials: fetch an access token, keep it until shortly before it expires, share one
// fetch between concurrent requests, and drop it when the API says 401 so the next call gets a new one.
import type { Redactor } from './redact';
import type { AuthConfig, HttpEvent, HttpResult } from './types';

type OAuth2Config = Extract<AuthConfig, { type: 'oauth2' }>;
export type TokenResult = { ok: true; token: string } | { ok: false; reason: string };

/** Posts a form to the token URL (through the guard and retries, without API credentials). */
export type PostForm = (url: string, form: string, headers: Record<string, string>) => Promise<HttpResult>;

// Renew a minute early (or a tenth of a short lifetime), so a token never expires mid-request.
const EARLY_MS = 60_000;

export class TokenSource {
  private cached?: { token: string; expiresAt: number };
  private pending?: Promise<TokenResult>;
  private fetchedBefore = false;

  constructor(
    private readonly config: OAuth2Config,
    private readonly post: PostForm,
    private readonly now: () => number,
    private readonly redactor: Redactor,
    private readonly onEvent?: (event: HttpEvent) => void,
  ) {
    redactor.add(config.clientSecret);
    redactor.add(basic(config.clientId, config.clientSecret));
  }

  async token(): Promise<TokenResult> {
    if (this.cached && this.now() < this.cached.expiresAt) return { ok: true, token: this.cached.token };
    if (!this.pending) {
      // After a refusal the cache is already empty and its event sent.
      if (this.cached) this.emit('expired');
      else if (!this.fetchedBefore) this.emit('first');
      this.fetchedBefore = true;
      this.pending = this.fetchToken().finally(() => (this.pending = undefined));
    }
    return this.pending;
  }

  /** The API refused the token: forget it (unless another request already replaced it). */
  invalidate(token: string): void {
    if (this.cached?.token !== token) return;
    this.cached = undefined;
    this.emit('refused');
  }

  private emit(reason: 'first' | 'expired' | 'refused'): void {
    this.onEvent?.({ type: 'token', tokenUrl: this.redactor.url(this.config.tokenUrl), reason });
  }

  private async fetchToken(): Promise<TokenResult> {
    const { config } = this;
    const form = new URLSearchParams({ grant_type: 'client_credentials' });
    if (config.scope) form.set('scope', config.scope);
    if (config.audience) form.set('audience', config.audience);
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded' };
    if (config.clientAuth === 'basic')
      headers.authorization = `Basic ${basic(config.clientId, config.clientSecret)}`;
    else {
      form.set('client_id', config.clientId);
      form.set('client_secret', config.clientSecret);
    }

    const startedAt = this.now();
    const result = await this.post(config.tokenUrl, form.toString(), headers);
    if (!result.ok) return { ok: false, reason: `The OAuth2 token request failed: ${result.reason}` };
    const body = (typeof result.body === 'object' && result.body !== null ? result.body : {}) as Record<
      string,
      unknown
    >;
    const token = body.access_token;
    if (typeof token !== 'string' || !token) {
      const where = this.redactor.url(config.tokenUrl);
      return { ok: false, reason: `The OAuth2 token endpoint ${where} answered without an access_token.` };
    }
    this.redactor.add(token);
    const lifetimeMs = Number(body.expires_in) * 1000;
    const expiresAt =
      Number.isFinite(lifetimeMs) && lifetimeMs > 0
        ? startedAt + lifetimeMs - Math.min(EARLY_MS, lifetimeMs / 10)
        : Number.POSITIVE_INFINITY; // no expiry given: keep it until the API refuses it
    this.cached = { token, expiresAt };
    return { ok: true, token };
  }
}

export function basic(user: string, password: string): string {
  return Buffer.from(`${user}:${password}`, 'utf8').toString('base64');
}
