import type { NextRequest } from 'next/server';
import NextAuth from 'next-auth';
import { isSessionRequest, withoutSessionIds } from '@/server/auth/browser-session';
import { clientAddress } from '@/server/auth/client-address';
import { authOptions } from '@/server/auth/options';
import { withSignInClient } from '@/server/auth/sign-in-client';
import { env } from '@/server/env';

type RouteContext = { params: Promise<{ nextauth: string[] }> };

// Options are built per process on first use (they read the generated secret), not at import. The
// request's browser and address go with a sign-in to the session it records (the account page lists them),
// and the session the browser reads carries no ids (browser-session.ts).
const handler = (req: NextRequest, context: RouteContext): Promise<Response> =>
  withSignInClient(
    {
      userAgent: req.headers.get('user-agent'),
      address: clientAddress(req.headers.get('x-forwarded-for'), env().CONCORD_TRUSTED_PROXIES),
    },
    async () => {
      const response = (await NextAuth(req, context, authOptions())) as Response;
      return isSessionRequest(req) ? withoutSessionIds(response) : response;
    },
  );

export { handler as GET, handler as POST };
