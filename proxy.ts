// Runs before every request (Next's proxy, formerly middleware): a fresh CSP nonce for each page, passed
// to Next's rendering in the request's Content-Security-Policy header (Next reads the nonce from there
// and puts it on its scripts), and the security headers on the response.
import { NextResponse, type NextRequest } from 'next/server';
import { commonHeaders, pagePolicy } from './server/security/headers';

export function proxy(request: NextRequest) {
  const context = {
    nonce: Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64'),
    dev: process.env.NODE_ENV === 'development',
    https: servedOverHttps(request),
  };
  const policy = pagePolicy(context);
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set('content-security-policy', policy);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set('Content-Security-Policy', policy);
  for (const [name, value] of Object.entries(commonHeaders(context))) response.headers.set(name, value);
  return response;
}

// HSTS and upgrade-insecure-requests only where https is certain: the public URL says so, or the request
// itself came over https. Sent over plain http they would break a local install (or do nothing).
function servedOverHttps(request: NextRequest): boolean {
  return request.nextUrl.protocol === 'https:' || (process.env.NEXTAUTH_URL ?? '').startsWith('https:');
}

export const config = {
  // Pages only. Next's own paths (build output, images, the dev server's HMR socket) carry no markup.
  // API answers get their headers from next.config.ts and must not pass through here: Next buffers the
  // body of every request the proxy sees (a 200 MB upload!).
  matcher: ['/((?!api/|_next/|favicon.ico).*)'],
};
