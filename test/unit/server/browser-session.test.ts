// The browser's view of its session carries neither the session id (what the cookie names) nor the user
// id; everything else next-auth answered, cookies included, goes through unchanged.
import { describe, expect, it } from 'vitest';
import { isSessionRequest, withoutSessionIds } from '@/server/auth/browser-session';

describe('the session the browser reads', () => {
  it('has no ids, and keeps the rest of the answer and its cookies', async () => {
    const headers = new Headers({
      'content-type': 'application/json; charset=utf-8',
      'content-length': '200',
    });
    headers.append('set-cookie', 'next-auth.session-token=abc; Path=/; HttpOnly');
    headers.append('set-cookie', 'next-auth.csrf-token=def; Path=/; HttpOnly');
    const session = {
      user: { name: 'Ada', email: 'ada@example.test' },
      expires: '2027-01-01T00:00:00.000Z',
      userId: 'usr_1',
      sessionId: 'ses_1',
    };
    const answer = await withoutSessionIds(new Response(JSON.stringify(session), { status: 200, headers }));
    expect(await answer.json()).toEqual({ user: session.user, expires: session.expires });
    expect(answer.status).toBe(200);
    expect(answer.headers.getSetCookie()).toEqual([
      'next-auth.session-token=abc; Path=/; HttpOnly',
      'next-auth.csrf-token=def; Path=/; HttpOnly',
    ]);
    expect(answer.headers.get('content-length')).toBeNull();
  });

  it('leaves the signed-out answer ({}) as it is', async () => {
    const answer = await withoutSessionIds(Response.json({}));
    expect(await answer.json()).toEqual({});
  });

  it('is the answer to /api/auth/session only (read, or updated by POST)', () => {
    const session = 'http://127.0.0.1/api/auth/session';
    expect(isSessionRequest(new Request(session))).toBe(true);
    expect(isSessionRequest(new Request(session, { method: 'POST' }))).toBe(true);
    expect(isSessionRequest(new Request('http://127.0.0.1/api/auth/csrf'))).toBe(false);
  });
});
