'use client';
// The test bench's engine: sends the configuration and the sample to `mappings.preview` 300 ms after
// the last change, and keeps the latest answer on screen while the next one is on its way.
import { useMutation } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { inferRouterOutputs } from '@trpc/server';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import type { AppRouter } from '@/server/trpc/root';

export type PreviewResult = inferRouterOutputs<AppRouter>['mappings']['preview'];

export function usePreview(config: unknown, sample: Record<string, unknown> | null, schemaId?: string) {
  const trpc = useTRPC();
  const org = useOrg();
  const { mutate, isPending } = useMutation(trpc.mappings.preview.mutationOptions());
  const [answer, setAnswer] = useState<{ result: PreviewResult | null; error: string | null }>({
    result: null,
    error: null,
  });
  // One string stands for both inputs, so the effect runs only when something really changed.
  const request = config !== undefined && sample ? JSON.stringify({ config, sample, schemaId }) : null;

  useEffect(() => {
    if (request === null) return;
    const timer = setTimeout(() => {
      const input = JSON.parse(request) as {
        config: unknown;
        sample: Record<string, unknown>;
        schemaId?: string;
      };
      // Only the latest call's callbacks run, so an older, slower answer never overwrites a newer one.
      mutate(
        { orgId: org.orgId, ...input },
        {
          onSuccess: (result) => setAnswer({ result, error: null }),
          onError: (error) => setAnswer({ result: null, error: errorMessage(error) }),
        },
      );
    }, 300);
    return () => clearTimeout(timer);
  }, [request, mutate, org.orgId]);

  return { ...answer, checking: isPending, active: request !== null };
}
