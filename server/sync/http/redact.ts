// Keeps secrets out of everything a person or a log sees: failure reasons, URLs and event messages.
// Secrets are registered as they become known (an OAuth2 access token arrives later than the config).

const SENSITIVE_NAME = /key|token|secret|passw|signature|auth|credential|session|cookie/i;
/** What a secret reads as wherever a person sees it: messages, URLs, a source's saved settings. */
export const MASK = '***';

/** Whether a header or query parameter with this name is assumed to carry a secret. */
export function isSensitiveName(name: string): boolean {
  return SENSITIVE_NAME.test(name);
}

export class Redactor {
  private readonly secrets = new Set<string>();

  constructor(private readonly sensitiveParams: ReadonlySet<string> = new Set()) {}

  /** Registers a secret in every form it may appear in: raw, URL-encoded and form-encoded. */
  add(secret: string | undefined): void {
    // Very short values would mask ordinary text everywhere; real secrets are longer.
    if (!secret || secret.length < 4) return;
    this.secrets.add(secret);
    this.secrets.add(encodeURIComponent(secret));
    this.secrets.add(new URLSearchParams({ s: secret }).toString().slice(2));
  }

  /** Registers the values of headers whose names suggest secrets (X-Api-Token, Cookie, …). */
  addHeaders(headers: Record<string, string> | undefined): void {
    for (const [name, value] of Object.entries(headers ?? {})) if (isSensitiveName(name)) this.add(value);
  }

  text(text: string): string {
    let out = text;
    // Longest first, so that a secret containing another is masked whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length))
      out = out.split(secret).join(MASK);
    return out;
  }

  /** A URL fit for a message: query parameters that look like secrets show as ***. */
  url(url: URL | string): string {
    const copy = new URL(String(url));
    for (const name of [...copy.searchParams.keys()]) {
      if (this.sensitiveParams.has(name) || isSensitiveName(name)) copy.searchParams.set(name, MASK);
    }
    return this.text(copy.toString()).replace(/%2A%2A%2A/g, MASK);
  }
}

const GENERIC = new Redactor();

/**
 * A URL for the run's timeline: query parameters that look like keys or tokens masked, user:password
 * dropped. The last guard before a URL reaches the log, whoever recorded it; a text that is no URL (an
 * SQL source's address, already without secrets) is kept as it is.
 */
export function maskedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.username = '';
    parsed.password = '';
    return GENERIC.url(parsed);
  } catch {
    return url;
  }
}
