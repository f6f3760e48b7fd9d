// The tRPC endpoint. Its procedures act with the session cookie: a mutation from another site is refused
// before tRPC reads it (tRPC's own content-type rules stop most of them; this stops them all), and so is
// a body over the size cap.
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import { TRPC_MAX_BODY_BYTES, withBodyLimit } from '@/app/api/_lib/body-limit';
import { crossOriginRefusal } from '@/server/auth/same-origin';
import { createRequestContext } from '@/server/trpc/context';
import { appRouter } from '@/server/trpc/root';

async function handler(original: Request) {
  const refusal = crossOriginRefusal(original);
  if (refusal) return refusal;
  const req = await withBodyLimit(original, TRPC_MAX_BODY_BYTES);
  if (req instanceof Response) return req;
  return fetchRequestHandler({
    endpoint: '/api/trpc',
    req,
    router: appRouter,
    createContext: () => createRequestContext(req),
    onError({ error, path }) {
      // Expected errors are for the caller; only unexpected ones are worth the operator's attention.
      if (error.code === 'INTERNAL_SERVER_ERROR')
        console.error(`tRPC ${path ?? '?'} failed:`, error.cause ?? error);
    },
  });
}

export { handler as GET, handler as POST };
