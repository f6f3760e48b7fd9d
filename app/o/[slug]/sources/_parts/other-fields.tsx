'use client';
// The fields of the other source types: a file's format, a register schema (an SQL database: sql-fields.tsx).
import { useQuery } from '@tanstack/react-query';
import { CheckedField } from '@/app/_components/checked-field';
import { Notice, Select } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { useTRPC } from '@/app/_lib/trpc';
import type { Draft } from './draft';

export function FileFields({
  file,
  onChange,
}: {
  file: Draft['file'];
  onChange: (f: Draft['file']) => void;
}) {
  return (
    <div className="space-y-2">
      <CheckedField name="config.format" label="Format">
        <Select
          className="block w-full sm:w-48"
          value={file.format}
          onChange={(e) => onChange({ format: e.target.value as Draft['file']['format'] })}
        >
          <option value="csv">CSV</option>
          <option value="json">JSON</option>
          <option value="xml">XML</option>
        </Select>
      </CheckedField>
      <p className="text-xs text-slate-500">
        A CSV file’s delimiter, quote and encoding are detected; check and change them in the preview once a
        file is uploaded.
      </p>
    </div>
  );
}

export function RegisterFields(props: {
  register: Draft['register'];
  onChange: (r: Draft['register']) => void;
}) {
  const trpc = useTRPC();
  const org = useOrg();
  const registers = useQuery(trpc.registers.list.queryOptions({ orgId: org.orgId }));
  const { registerId, schemaId } = props.register;
  const schemas = registers.data?.find((r) => r.id === registerId)?.schemas ?? [];
  if (registers.data && registers.data.length === 0)
    return <Notice>There are no registers yet. Create a register and a schema first, then come back.</Notice>;
  return (
    <div className="grid gap-4 sm:grid-cols-2">
      <CheckedField name="config.registerId" label="Register">
        <Select
          required
          className="w-full"
          value={registerId}
          disabled={registers.isPending}
          onChange={(e) => props.onChange({ registerId: e.target.value, schemaId: '' })}
        >
          <option value="">{registers.isPending ? 'Loading…' : 'Choose a register'}</option>
          {registers.data?.map((r) => (
            <option key={r.id} value={r.id}>
              {r.name}
            </option>
          ))}
        </Select>
      </CheckedField>
      <CheckedField name="config.schemaId" label="Schema">
        <Select
          required
          className="w-full"
          value={schemaId}
          disabled={!registerId}
          onChange={(e) => props.onChange({ registerId, schemaId: e.target.value })}
        >
          <option value="">
            {registerId && schemas.length === 0 ? 'This register has no schemas' : 'Choose a schema'}
          </option>
          {schemas.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </Select>
      </CheckedField>
    </div>
  );
}
