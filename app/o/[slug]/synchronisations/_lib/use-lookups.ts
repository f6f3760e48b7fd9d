'use client';
// The organisation's sources, registers (with schemas) and mappings, for pickers and for naming
// what a synchronisation reads and writes.
import { useQuery } from '@tanstack/react-query';
import { useOrg } from '@/app/_lib/org-context';
import { useTRPC } from '@/app/_lib/trpc';

export function useLookups() {
  const trpc = useTRPC();
  const org = useOrg();
  const input = { orgId: org.orgId };
  const sources = useQuery(trpc.sources.list.queryOptions(input));
  const registers = useQuery(trpc.registers.list.queryOptions(input));
  const mappings = useQuery(trpc.mappings.list.queryOptions(input));
  const all = [sources, registers, mappings];
  return {
    sources: sources.data ?? [],
    registers: registers.data ?? [],
    mappings: mappings.data ?? [],
    isPending: all.some((q) => q.isPending),
    error: all.find((q) => q.error)?.error ?? null,
    sourceName: (id: string | null) => (id ? (sources.data?.find((s) => s.id === id)?.name ?? id) : '—'),
    mappingName: (id: string | null) => (id ? (mappings.data?.find((m) => m.id === id)?.name ?? id) : 'None'),
    /** "Register › Schema" for a register target. */
    schemaName: (registerId: string | null, schemaId: string | null) => {
      const register = registers.data?.find((r) => r.id === registerId);
      const schema = register?.schemas.find((s) => s.id === schemaId);
      return register ? `${register.name} › ${schema?.name ?? schemaId ?? '?'}` : (schemaId ?? '—');
    },
  };
}

export type Lookups = ReturnType<typeof useLookups>;
