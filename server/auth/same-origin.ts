// Requests that act with the session cookie must come from Concord's own pages. Browsers send Origin
// with every POST (and Sec-Fetch-Site), so a form or script elsewhere is refused — including on a
// sibling subdomain or another port of the same host, which count as the same site and so still get
// the SameSite=Lax cookie. Clients that are not browsers send neither, and carry no one else's cookie.
import { env } from '../env';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A 403 for a cross-origin request that would act with the session cookie; undefined to go ahead. */
export function crossOriginRefusal(req: Request): Response | undefined {
  if (SAFE_METHODS.has(req.method)) return undefined;
  const origin = req.headers.get('origin');
  if (origin !== null) {
    if (allowedOrigins(req).has(origin)) return undefined;
  } else {
    const site = req.headers.get('sec-fetch-site');
    if (site === null || site === 'same-origin' || site === 'none') return undefined;
  }
  return Response.json(
    { error: 'This request came from another site. Use Concord’s own pages, or an API key.' },
    { status: 403 },
  );
}

// The origin the request was addressed to, and the public URL when Concord is behind a proxy.
function allowedOrigins(req: Request): Set<string> {
  const origins = new Set([new URL(req.url).origin]);
  const configured = env().NEXTAUTH_URL;
  if (configured) origins.add(new URL(configured).origin);
  return origins;
}
