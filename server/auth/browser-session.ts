// What the browser learns of its session (`/api/auth/session`, which next-auth's client reads after
// signing in): not the ids. The session callback puts the user and session ids into the session object
// because the server reads them from there (server/auth/session.ts), and next-auth answers the browser
// with the same object. The session id is what the cookie names; the account page names sessions by a
// hash instead (sessions.ts), so the id has no business in a script's reach.
const SERVER_ONLY = ['userId', 'sessionId'] as const;

/** A request for the session: GET reads it, POST updates it (next-auth's `update()`); both answer it. */
export const isSessionRequest = (req: Request) => new URL(req.url).pathname.endsWith('/api/auth/session');

/** next-auth's answer to a session request without the ids; cookies and status as they were. */
export async function withoutSessionIds(response: Response): Promise<Response> {
  if (!response.headers.get('content-type')?.includes('application/json')) return response;
  const body: unknown = await response.json();
  if (body && typeof body === 'object')
    for (const key of SERVER_ONLY) delete (body as Record<string, unknown>)[key];
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(JSON.stringify(body), { status: response.status, headers });
}
