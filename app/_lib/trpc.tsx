'use client';
// The browser's tRPC client: TanStack Query options factories typed by the server's router.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { useState, type ReactNode } from 'react';
import superjson from 'superjson';
import type { AppRouter } from '@/server/trpc/root';

export const { TRPCProvider, useTRPC } = createTRPCContext<AppRouter>();

function makeQueryClient() {
  return new QueryClient({
    defaultOptions: {
      queries: { staleTime: 10_000, retry: (count, error) => count < 2 && !isClientError(error) },
    },
  });
}

function isClientError(error: unknown): boolean {
  const code =
    error instanceof TRPCClientError ? (error.data as { httpStatus?: number } | undefined)?.httpStatus : 0;
  return typeof code === 'number' && code >= 400 && code < 500;
}

export function Providers({ children }: { children: ReactNode }) {
  const [queryClient] = useState(makeQueryClient);
  const [trpcClient] = useState(() =>
    createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: '/api/trpc', transformer: superjson })] }),
  );
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}

/** One sentence a person can act on, from any error the API returned. */
export function errorMessage(error: unknown): string {
  if (error instanceof TRPCClientError) {
    const issues = (
      error.data as { zodIssues?: { path: (string | number)[]; message: string }[] } | undefined
    )?.zodIssues;
    const first = issues?.[0];
    if (first) return first.path.length ? `${first.path.join('.')}: ${first.message}` : first.message;
    return error.message;
  }
  return error instanceof Error ? error.message : 'Something went wrong.';
}
