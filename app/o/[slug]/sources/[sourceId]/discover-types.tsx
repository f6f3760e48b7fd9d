'use client';
// Discover (editors and up): what the source offers as data types — an SQL source's tables and views, a
// REST source's endpoints, a file's columns — with their fields; the selected ones become a connection
// (a schema, a starting mapping and a synchronisation each) in one action.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { inferRouterOutputs } from '@trpc/server';
import { useRouter } from 'next/navigation';
import { useState, type FormEvent } from 'react';
import {
  Badge,
  Button,
  Card,
  ErrorText,
  Field,
  Input,
  Notice,
  Select,
  TableScroll,
  Textarea,
} from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import type { AppRouter } from '@/server/trpc/root';

type Discovery = inferRouterOutputs<AppRouter>['connections']['discover'];
type DataType = Extract<Discovery, { ok: true }>['types'][number];

export function DiscoverTypes({ source }: { source: { id: string; name: string; type: string } }) {
  const trpc = useTRPC();
  const org = useOrg();
  const [endpoints, setEndpoints] = useState('');
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const discover = useMutation(
    trpc.connections.discover.mutationOptions({ onSuccess: () => setSelected(new Set()) }),
  );

  if (!org.can('sources.write') || !org.can('syncs.write')) {
    return (
      <Card title="Discover data types">
        <Notice>Editors can discover what this source offers and create a connection from it.</Notice>
      </Card>
    );
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    discover.mutate({
      orgId: org.orgId,
      sourceId: source.id,
      ...(source.type === 'rest'
        ? {
            endpoints: endpoints
              .split(/\n/)
              .map((e) => e.trim())
              .filter(Boolean),
          }
        : {}),
    });
  }

  const result = discover.data;
  const types = result?.ok ? result.types : [];
  const toggle = (name: string) =>
    setSelected((now) => {
      const next = new Set(now);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      return next;
    });
  return (
    <Card title="Discover data types">
      <form onSubmit={submit} className="space-y-3">
        <p className="text-sm text-slate-600">
          {source.type === 'sql'
            ? 'Lists the tables and views the saved user can read, with their columns, types and keys.'
            : source.type === 'rest'
              ? 'Reads the first page of each endpoint and learns the fields of its objects.'
              : 'Reads the columns of the file.'}{' '}
          Select data types to create a schema, a starting mapping and a synchronisation for each, grouped as
          one connection.
        </p>
        {source.type === 'rest' && (
          <Field label="Endpoints" hint="One per line, relative to the base URL: /people">
            <Textarea
              rows={3}
              spellCheck={false}
              value={endpoints}
              onChange={(e) => setEndpoints(e.target.value)}
            />
          </Field>
        )}
        <Button type="submit" disabled={discover.isPending}>
          {discover.isPending ? 'Discovering…' : 'Discover'}
        </Button>
      </form>
      <div className="mt-4 space-y-3 text-sm" aria-live="polite">
        <ErrorText>{discover.error ? errorMessage(discover.error) : null}</ErrorText>
        {result && !result.ok && <ErrorText>{result.reason}</ErrorText>}
        {result?.ok &&
          result.failures.map((f) => (
            <ErrorText key={f.endpoint}>
              {f.endpoint}: {f.reason}
            </ErrorText>
          ))}
        {result?.ok && types.length === 0 && <Notice>Nothing to select was found.</Notice>}
        {types.length > 0 && (
          <>
            <TypeTable types={types} selected={selected} onToggle={toggle} />
            <CreateConnection source={source} types={types.filter((t) => selected.has(t.name))} />
          </>
        )}
      </div>
    </Card>
  );
}

function TypeTable(props: { types: DataType[]; selected: Set<string>; onToggle: (name: string) => void }) {
  return (
    <TableScroll label="Data types found" className="rounded-md border border-slate-200">
      <table className="w-full text-left text-sm" data-testid="discovered-types">
        <thead className="border-b border-slate-200 text-xs uppercase text-slate-500">
          <tr>
            <th className="px-3 py-2">Select</th>
            <th className="px-3 py-2">Data type</th>
            <th className="px-3 py-2">Fields</th>
            <th className="px-3 py-2">Id field</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {props.types.map((type) => (
            <tr key={type.name} data-testid={`type-${type.name}`}>
              <td className="px-3 py-2 align-top">
                <input
                  type="checkbox"
                  aria-label={`Select ${type.name}`}
                  disabled={!!type.problem}
                  checked={props.selected.has(type.name)}
                  onChange={() => props.onToggle(type.name)}
                />
              </td>
              <td className="px-3 py-2 align-top">
                <span className="font-medium">{type.name}</span> <Badge>{type.kind}</Badge>
                {type.problem && <p className="mt-1 text-xs text-amber-800">{type.problem}</p>}
              </td>
              <td className="px-3 py-2 align-top text-xs text-slate-700">
                {type.fields.map((f) => (
                  <span key={f.name} className="mr-2 inline-block">
                    <code className={f.key ? 'font-semibold' : ''}>{f.name}</code>{' '}
                    <span className="text-slate-500">
                      {f.sourceType ?? f.type}
                      {f.key ? ', key' : ''}
                      {f.givenBySource ? ', given by the source' : f.nullable ? '' : ', required'}
                    </span>
                  </span>
                ))}
              </td>
              <td className="px-3 py-2 align-top">{type.idField ? <code>{type.idField}</code> : '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function CreateConnection({ source, types }: { source: { id: string; name: string }; types: DataType[] }) {
  const trpc = useTRPC();
  const org = useOrg();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [name, setName] = useState(source.name);
  const [registerId, setRegisterId] = useState('');
  const registers = useQuery(trpc.registers.list.queryOptions({ orgId: org.orgId }));
  const create = useMutation(
    trpc.connections.create.mutationOptions({
      onSuccess: (connection) => {
        void queryClient.invalidateQueries();
        router.push(`/o/${org.slug}/connections/${connection.id}`);
      },
    }),
  );
  return (
    <div className="space-y-3 rounded-md bg-slate-50 p-3">
      <div className="grid gap-3 md:grid-cols-2">
        <Field label="Connection name">
          <Input value={name} onChange={(e) => setName(e.target.value)} />
        </Field>
        <Field label="Register" hint="Where the schemas of the selected data types are created">
          <Select className="w-full" value={registerId} onChange={(e) => setRegisterId(e.target.value)}>
            <option value="">A new register named after the connection</option>
            {registers.data?.map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </Select>
        </Field>
      </div>
      <ErrorText>{create.error ? errorMessage(create.error) : null}</ErrorText>
      <Button
        disabled={create.isPending || types.length === 0 || !name.trim()}
        onClick={() =>
          create.mutate({
            orgId: org.orgId,
            name: name.trim(),
            sourceId: source.id,
            registerId: registerId || null,
            types: types.map((t) => ({ ...t, fields: [...t.fields], idField: t.idField ?? '' })),
          })
        }
      >
        {create.isPending
          ? 'Creating…'
          : `Create connection${types.length ? ` (${types.length} data type${types.length === 1 ? '' : 's'})` : ''}`}
      </Button>
    </div>
  );
}
