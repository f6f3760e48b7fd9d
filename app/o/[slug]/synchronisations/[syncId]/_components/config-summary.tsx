'use client';
// The saved configuration, read-only: what the synchronisation reads, how, and where it writes.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { Card } from '@/app/_components/ui';
import { formatCount, formatTime } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { useTRPC } from '@/app/_lib/trpc';
import {
  readsSetting,
  sourceKindOf,
  type SourceKind,
  type SyncSetting,
} from '@/server/sync/config/applicable';
import { DEFAULT_MAX_PAGES } from '@/server/sync/core/pagination/config';
import { formFromSync } from '../../_lib/form-state';
import { PAGINATION_KINDS } from '../../_lib/pagination-kinds';
import type { SyncRow } from '../../_lib/types';
import type { Lookups } from '../../_lib/use-lookups';

const WRITE_MODE_WORDS = {
  upsert: 'create and update',
  'insert-only': 'only create',
  'update-only': 'only update what the target has',
  mirror: 'mirror (create, update and delete)',
} as const;

const code = (text: string) => <code className="rounded bg-slate-100 px-1 text-xs">{text}</code>;
const list = (items: string[]) => (items.length ? items.join(', ') : '—');

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase text-slate-500">{label}</dt>
      <dd className="break-words text-sm text-slate-800">{children}</dd>
    </div>
  );
}

/** The first few selected ids, and how many there are. */
function SelectedIds({ ids }: { ids: string[] }) {
  const shown = ids.slice(0, 5);
  return (
    <>
      {ids.length} selected: {shown.join(', ')}
      {ids.length > shown.length && ', …'}
    </>
  );
}

function SyncLinks({
  items,
  slug,
  none,
}: {
  items: { id: string; name: string }[];
  slug: string;
  none: string;
}) {
  if (items.length === 0) return <>{none}</>;
  return (
    <span data-testid="sync-links">
      {items.map((s, i) => (
        <span key={s.id}>
          {i > 0 && ', '}
          <Link className="text-indigo-700 hover:underline" href={`/o/${slug}/synchronisations/${s.id}`}>
            {s.name}
          </Link>
        </span>
      ))}
    </span>
  );
}

export function ConfigSummary({ sync, lookups }: { sync: SyncRow; lookups: Lookups }) {
  const trpc = useTRPC();
  const org = useOrg();
  const form = formFromSync(sync);
  const schedule = useQuery({
    ...trpc.synchronisations.describeSchedule.queryOptions({
      orgId: org.orgId,
      cron: sync.scheduleCron ?? '-',
      timezone: sync.scheduleTimezone,
    }),
    enabled: !!sync.scheduleCron,
    retry: false,
  });
  const paging = Object.entries(form.pagination).map(([k, v]) => `${k} ${v}`);
  const pairs = (rows: { key: string; value: string }[]) => list(rows.map((r) => `${r.key}: ${r.value}`));
  const register = sync.targetType === 'register';
  // An SQL target's settings name a table (see sql-target-form.ts).
  const sqlTarget = !register && form.sqlTarget.table !== '';
  const source = lookups.sources.find((s) => s.id === sync.sourceId);
  const kind: SourceKind = source ? sourceKindOf(source) : { type: 'rest' };
  const reads = (setting: SyncSetting) => readsSetting(kind, setting);
  const sql = kind.type === 'sql';
  return (
    <Card title="Configuration">
      <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-2 lg:grid-cols-3">
        <Item label="Source">{lookups.sourceName(sync.sourceId)}</Item>
        <Item label={sql ? 'Table or query' : 'Endpoint'}>
          {sync.sourceEndpoint ? code(sync.sourceEndpoint) : '—'}
        </Item>
        {sql && (
          <Item label="Key column · page size">
            {code(form.sqlKeyColumn || form.sourceIdField)} · {form.sqlPageSize || '1000'} rows
          </Item>
        )}
        {reads('resultsPosition') && (
          <Item label="Results position">{form.resultsPosition ? code(form.resultsPosition) : 'detect'}</Item>
        )}
        <Item label="Id field">{code(form.sourceIdField)}</Item>
        {reads('pagination') && (
          <Item label="Pagination">
            {PAGINATION_KINDS[form.paginationKind].label}
            {paging.length > 0 && ` (${paging.join(', ')})`}
          </Item>
        )}
        {reads('maxPages') && (
          <Item label="Max pages">
            {form.maxPages
              ? formatCount(Number(form.maxPages))
              : `${formatCount(DEFAULT_MAX_PAGES)} (default)`}
          </Item>
        )}
        {reads('query') && (
          <>
            <Item label="Query parameters">{pairs(form.query)}</Item>
            <Item label="Headers">{pairs(form.headers)}</Item>
          </>
        )}
        <Item label="Hash fields">{list(form.hashFields ? form.hashFields.split('\n') : [])}</Item>
        <Item label="Conditions">
          {form.conditions ? code(JSON.stringify(JSON.parse(form.conditions))) : 'every object'}
        </Item>
        <Item label="Mapping">{lookups.mappingName(sync.mappingId)}</Item>
        <Item label="Nested objects">
          {list(
            form.subObjects.map(
              (s) => `${s.path} (id ${s.idField}, ${lookups.mappingName(s.mappingId || null)})`,
            ),
          )}
        </Item>
        <Item label="Target">
          {register
            ? lookups.schemaName(sync.targetRegisterId, sync.targetSchemaId)
            : `${lookups.sourceName(sync.targetSourceId)} (${sqlTarget ? 'SQL' : 'REST'})`}
        </Item>
        {register && (
          <Item label="Direction">
            {sync.direction === 'two-way'
              ? 'two-way: the source ⇄ the register'
              : 'one way: the source → the register'}
          </Item>
        )}
        {sqlTarget && (
          <>
            <Item label="Table · key">
              {code(form.sqlTarget.table)} · {code(form.sqlTarget.keyColumns)}
            </Item>
            <Item label="Columns">
              {form.sqlTarget.columns ? list(form.sqlTarget.columns.split('\n')) : 'every field'}
            </Item>
            <Item label="Target mapping">{lookups.mappingName(sync.targetMappingId)}</Item>
          </>
        )}
        {!register && !sqlTarget && (
          <>
            <Item label="Create / update / delete">
              {form.target.createMethod} {code(form.target.createEndpoint)} · {form.target.updateMethod}{' '}
              {code(form.target.updateEndpoint)} · DELETE {code(form.target.deleteEndpoint)}
            </Item>
            <Item label="Id path · id in body">
              {code(form.target.idPath)} ·{' '}
              {form.target.idInRequestBody ? code(form.target.idInRequestBody) : 'no'}
            </Item>
            <Item label="Target mapping">{lookups.mappingName(sync.targetMappingId)}</Item>
            <Item label="Updates send">
              {form.target.sendChangedFields ? 'only changed fields (PATCH)' : 'the whole object'}
            </Item>
            {(form.target.batchCreateEndpoint || form.target.batchUpdateEndpoint) && (
              <Item label="Batches">
                {form.target.batchCreateEndpoint
                  ? `${form.target.batchCreateMethod} ${form.target.batchCreateEndpoint}`
                  : 'creates one by one'}{' '}
                ·{' '}
                {form.target.batchUpdateEndpoint
                  ? `${form.target.batchUpdateMethod} ${form.target.batchUpdateEndpoint}`
                  : 'updates one by one'}
                , {form.target.batchSize} per request
              </Item>
            )}
          </>
        )}
        <Item label="Write mode">{WRITE_MODE_WORDS[sync.writeMode]}</Item>
        <Item label="Deletion">
          {sync.writeMode === 'mirror' ? (
            `hard (a mirror), approval above ${form.deleteThreshold} %`
          ) : sync.deleteMode === 'none' ? (
            'never'
          ) : sqlTarget && sync.deleteMode === 'soft' ? (
            <>
              mark as deleted: {code(form.sqlTarget.softDeleteColumn)} ={' '}
              {code(form.sqlTarget.softDeleteValue)}, approval above {form.deleteThreshold} %
            </>
          ) : !register && sync.deleteMode === 'soft' ? (
            <>
              mark as deleted: {form.target.softDeleteMethod}{' '}
              {code(form.target.softDeleteEndpoint || form.target.deleteEndpoint)}{' '}
              {code(form.target.softDeleteBody)}, approval above {form.deleteThreshold} %
            </>
          ) : (
            `${sync.deleteMode}, approval above ${form.deleteThreshold} %`
          )}
        </Item>
        <Item label="Restrict deletion to">
          {sync.restrictDeletion?.length ? list(sync.restrictDeletion) : 'any id'}
        </Item>
        <Item label="Schedule">
          {sync.scheduleCron ? (
            <>
              {code(sync.scheduleCron)} {schedule.data?.words ?? sync.scheduleTimezone}
            </>
          ) : (
            'on demand only'
          )}
        </Item>
        <Item label="Selected ids">
          {form.selectedIds ? <SelectedIds ids={form.selectedIds.split('\n')} /> : 'every object'}
          {form.objectEndpoint && <> · fetched from {code(form.objectEndpoint)}</>}
        </Item>
        <Item label="One-time">
          {sync.oneTime
            ? sync.runOnceAt
              ? `runs once at ${formatTime(sync.runOnceAt)}, then disables itself`
              : 'runs once when started, then disables itself'
            : 'no'}
        </Item>
        <Item label="Follow-ups">
          <SyncLinks items={sync.followUps} slug={org.slug} none="none" />
        </Item>
        <Item label="Follow-up of">
          <SyncLinks items={sync.followedBy} slug={org.slug} none="none" />
        </Item>
        <Item label="Log retention">
          {sync.successRetentionDays} days (success) · {sync.errorRetentionDays} days (errors)
        </Item>
        <Item label="Changed">{formatTime(sync.updatedAt)}</Item>
      </dl>
      {sync.description && <p className="mt-4 text-sm text-slate-600">{sync.description}</p>}
    </Card>
  );
}
