// The security headers of every response: a Content-Security-Policy with a fresh nonce per page (Next
// puts it on its own scripts), no framing, no MIME sniffing, no referrer to other sites, and HSTS when
// Concord is served over https. Built here, applied by proxy.ts.

export interface HeaderContext {
  /** A fresh random value per request; only pages need one. */
  nonce?: string;
  /** `next dev`: React's dev tooling needs eval, and styles are injected inline. */
  dev: boolean;
  /** Served over https (the request, or the public URL in NEXTAUTH_URL). */
  https: boolean;
}

/** The policy of a page: scripts only with this request's nonce (and what they load). */
export function pagePolicy({ nonce, dev, https }: HeaderContext): string {
  const directives = [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    dev ? "style-src 'self' 'unsafe-inline'" : `style-src 'self' 'nonce-${nonce}'`,
    // React renders `style={…}` as attributes (charts, progress bars): no script can run from them.
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ];
  return directives.join('; ');
}

/**
 * The policy of API answers: nothing may load, nothing may frame them. Forms may still post here (next-auth
 * serves a sign-out confirmation page under /api/auth).
 */
export const API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** The headers every response carries, besides its Content-Security-Policy. */
export function commonHeaders({ https }: Pick<HeaderContext, 'https'>): Record<string, string> {
  return {
    'X-Frame-Options': 'DENY',
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'same-origin',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
    // Two years, as preload lists ask; only ever sent over https, where browsers honour it.
    ...(https ? { 'Strict-Transport-Security': 'max-age=63072000; includeSubDomains' } : {}),
  };
}
