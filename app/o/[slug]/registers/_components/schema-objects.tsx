'use client';
// Browses a schema's objects, newest change first: search in the server (debounced; an id's start or
// text in the data), paging by the server's cursors, soft-deleted ones on request; a row opens the
// object; editors create new ones.
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import {
  Badge,
  Button,
  Card,
  EmptyState,
  ErrorText,
  Input,
  Loading,
  TableScroll,
} from '@/app/_components/ui';
import { CursorPager } from '@/app/_components/cursor-pager';
import { formatTime } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { ObjectEditor } from './object-editor';
import { changedBy, ObjectView } from './object-view';

const PAGE_SIZE = 25;
const summary = (data: unknown) => {
  const text = JSON.stringify(data);
  return text.length > 140 ? `${text.slice(0, 140)}…` : text;
};

export function SchemaObjects({
  schemaId,
  jsonSchema,
}: {
  schemaId: string;
  jsonSchema: Record<string, unknown>;
}) {
  const trpc = useTRPC();
  const org = useOrg();
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  // Where the table is: the server's cursor (empty: the first page) and the page number it shows.
  const [at, setAt] = useState({ cursor: '', page: 1 });
  const [includeDeleted, setIncludeDeleted] = useState(false);
  const [openId, setOpenId] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);

  useEffect(() => {
    const next = typed.trim();
    if (next === search) return;
    const timer = setTimeout(() => {
      setSearch(next);
      setAt({ cursor: '', page: 1 });
    }, 300);
    return () => clearTimeout(timer);
  }, [typed, search]);

  const objects = useQuery({
    ...trpc.registers.objects.queryOptions({
      orgId: org.orgId,
      schemaId,
      search: search || undefined,
      cursor: at.cursor || undefined,
      pageSize: PAGE_SIZE,
      includeDeleted,
    }),
    placeholderData: keepPreviousData,
  });

  return (
    <Card
      title="Objects"
      actions={
        org.can('registers.write') &&
        !creating && <Button onClick={() => setCreating(true)}>New object</Button>
      }
    >
      {creating && (
        <div className="mb-4 rounded-md border border-indigo-200 bg-indigo-50/30 p-4">
          <ObjectEditor schemaId={schemaId} jsonSchema={jsonSchema} onDone={() => setCreating(false)} />
        </div>
      )}
      <div className="mb-3 flex flex-wrap items-center gap-3">
        <Input
          type="search"
          aria-label="Search objects"
          placeholder="Search in the objects, or an id (obj_…)"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          className="max-w-sm"
        />
        <label className="flex items-center gap-2 text-sm text-slate-700">
          <input
            type="checkbox"
            checked={includeDeleted}
            onChange={(e) => {
              setIncludeDeleted(e.target.checked);
              setAt({ cursor: '', page: 1 });
            }}
          />
          Include deleted
        </label>
        {objects.isFetching && !objects.isPending && (
          <span className="text-xs text-slate-500">Updating…</span>
        )}
      </div>
      <ErrorText>{objects.error ? errorMessage(objects.error) : null}</ErrorText>
      {objects.isPending ? (
        <Loading what="objects" />
      ) : !objects.data ? null : objects.data.total === 0 ? (
        <EmptyState title={search ? `No objects match “${search}”` : 'No objects in this schema yet'}>
          {search
            ? 'Try another search, or include deleted objects.'
            : 'A synchronisation with this register and schema as its target writes objects here, and editors can create them.'}
        </EmptyState>
      ) : (
        <>
          <TableScroll label="Objects">
            <table className="w-full text-left text-sm">
              <thead className="text-xs uppercase text-slate-500">
                <tr>
                  <th className="py-2 pr-3">Object</th>
                  <th className="py-2 pr-3">Data</th>
                  <th className="py-2 pr-3">Version</th>
                  <th className="py-2">Updated</th>
                </tr>
              </thead>
              <tbody className="divide-y divide-slate-100">
                {objects.data.rows.map((row) => (
                  <tr
                    key={row.id}
                    className="cursor-pointer hover:bg-slate-50"
                    onClick={() => setOpenId(row.id)}
                  >
                    <td className="py-2 pr-3 align-top">
                      <button
                        type="button"
                        className="font-mono text-xs text-indigo-700 hover:underline"
                        onClick={() => setOpenId(row.id)}
                      >
                        {row.id}
                      </button>
                      {row.deletedAt && (
                        <div className="mt-1">
                          <Badge tone="red">deleted</Badge>
                        </div>
                      )}
                    </td>
                    <td className="max-w-md break-all py-2 pr-3 font-mono text-xs text-slate-700">
                      {summary(row.data)}
                    </td>
                    <td className="py-2 pr-3">{row.version}</td>
                    <td className="py-2">
                      <div className="whitespace-nowrap">{formatTime(row.updatedAt)}</div>
                      <div className="text-xs text-slate-500">{changedBy(row)}</div>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <CursorPager
            page={at.page}
            data={objects.data}
            onPage={(cursor, page) => setAt({ cursor, page })}
          />
        </>
      )}
      {openId && <ObjectView objectId={openId} jsonSchema={jsonSchema} onClose={() => setOpenId(null)} />}
    </Card>
  );
}
