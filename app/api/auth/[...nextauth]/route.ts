import type { NextRequest } from 'next/server';
import NextAuth from 'next-auth';
import { clientAddress } from '@/server/auth/client-address';
import { authOptions } from '@/server/auth/options';
import { withSignInClient } from '@/server/auth/sign-in-client';
import { env } from '@/server/env';

type RouteContext = { params: Promise<{ nextauth: string[] }> };

// Options are built per process on first use (they read the generated secret), not at import. The
// request's browser and address go with a sign-in to the session it records (the account page lists them).
const handler = (req: NextRequest, context: RouteContext): Promise<Response> =>
  withSignInClient(
    {
      userAgent: req.headers.get('user-agent'),
      address: clientAddress(req.headers.get('x-forwarded-for'), env().CONCORD_TRUSTED_PROXIES),
    },
    () => NextAuth(req, context, authOptions()) as Promise<Response>,
  );

export { handler as GET, handler as POST };
