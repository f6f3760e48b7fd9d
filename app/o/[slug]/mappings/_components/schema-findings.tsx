'use client';
// The bench's target schema: which register schema the mapped sample must satisfy, and what that schema
// would refuse — each at its output field, with what to change.
import { useQuery } from '@tanstack/react-query';
import { Select } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { useTRPC } from '@/app/_lib/trpc';
import type { SchemaFinding } from '@/server/services/schema-check';

export function SchemaChoice({ value, onChange }: { value: string; onChange: (schemaId: string) => void }) {
  const trpc = useTRPC();
  const org = useOrg();
  // Fresh on every visit: a schema made a moment ago (another tab, the API) must be offered at once.
  const registers = useQuery({
    ...trpc.registers.list.queryOptions({ orgId: org.orgId }),
    refetchOnMount: 'always',
  });
  const schemas = (registers.data ?? []).flatMap((r) =>
    r.schemas.map((s) => ({ id: s.id, label: `${r.name} › ${s.name}` })),
  );
  if (schemas.length === 0) return null;
  return (
    <label className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
      <span>Check against the schema</span>
      <Select value={value} onChange={(e) => onChange(e.target.value)}>
        <option value="">none</option>
        {schemas.map((s) => (
          <option key={s.id} value={s.id}>
            {s.label}
          </option>
        ))}
      </Select>
    </label>
  );
}

export function SchemaFindings({ name, findings }: { name: string; findings: readonly SchemaFinding[] }) {
  if (findings.length === 0) {
    return (
      <p className="mt-2 text-sm text-green-700" data-testid="schema-fits">
        The mapped object fits the schema {name}.
      </p>
    );
  }
  return (
    <div className="mt-2 rounded-md bg-red-50 p-3 text-sm text-red-800" data-testid="schema-findings">
      <p className="font-medium">
        The schema {name} would refuse this object ({findings.length}{' '}
        {findings.length === 1 ? 'problem' : 'problems'}):
      </p>
      <ul className="mt-1 space-y-1">
        {findings.map((f, i) => (
          <li key={i} data-field={f.field}>
            {f.field && <code className="mr-1 font-semibold">{f.field}</code>}
            {f.message}
          </li>
        ))}
      </ul>
    </div>
  );
}
