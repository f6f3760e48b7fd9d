import type { NextRequest } from 'next/server';
import NextAuth from 'next-auth';
import { authOptions } from '@/server/auth/options';

type RouteContext = { params: Promise<{ nextauth: string[] }> };

// Options are built per process on first use (they read the generated secret), not at import.
const handler = (req: NextRequest, context: RouteContext): Promise<Response> =>
  NextAuth(req, context, authOptions()) as Promise<Response>;

export { handler as GET, handler as POST };
