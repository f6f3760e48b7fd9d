'use client';
// The browser's tRPC client: TanStack Query options factories typed by the server's router.
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { createTRPCClient, httpBatchLink, TRPCClientError } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { useState, type ReactNode } from 'react';
import superjson from 'superjson';
import { ToastProvider } from '@/app/_components/toasts';
import type { FieldIssue } from '@/server/services/field-issues';
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
        <ToastProvider>{children}</ToastProvider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}

/** Sentences a person can act on, from any error the API returned (the server phrases them). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : 'Something went wrong.';
}

/** Each problem of a refused call with the input field it is about ('' for none): see field-issues.ts. */
export function errorIssues(error: unknown): FieldIssue[] {
  if (!error) return [];
  const data =
    error instanceof TRPCClientError
      ? (error.data as { issues?: FieldIssue[]; field?: string | null } | undefined)
      : undefined;
  if (data?.issues?.length) return data.issues;
  return [{ field: data?.field ?? '', message: errorMessage(error) }];
}
