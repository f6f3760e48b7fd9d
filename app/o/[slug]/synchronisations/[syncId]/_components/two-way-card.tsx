'use client';
// A two-way synchronisation's policies in words: who wins a conflict, who is right when that cannot be
// told, what happens to objects only the register has, how objects are paired on the first run, and how
// the register's changes are written back to the source (the defaults filled in).
import type { ReactNode } from 'react';
import { Card } from '@/app/_components/ui';
import { CONFLICT_WORDS, SOURCE_OF_TRUTH_WORDS, TARGET_ONLY_WORDS } from '../../_lib/two-way-words';
import { twoWayFormFields } from '../../_lib/two-way-form';
import type { SyncRow } from '../../_lib/types';
import type { Lookups } from '../../_lib/use-lookups';

const code = (text: string) => <code className="rounded bg-slate-100 px-1 text-xs">{text}</code>;

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase text-slate-500">{label}</dt>
      <dd className="break-words text-sm text-slate-800">{children}</dd>
    </div>
  );
}

function WritesBack({ resolved }: { resolved: SyncRow['writeBackResolved'] }) {
  if (!resolved) return <>—</>;
  if (resolved.kind === 'sql') {
    const { table, keyColumns } = resolved.config;
    return (
      <>
        table {code(table)}, keyed on {code(keyColumns.join(', '))}
      </>
    );
  }
  const c = resolved.config;
  return (
    <>
      {c.createMethod} {code(c.createEndpoint)} · {c.updateMethod} {code(c.updateEndpoint)} · DELETE{' '}
      {code(c.deleteEndpoint)}
    </>
  );
}

export function TwoWayCard({ sync, lookups }: { sync: SyncRow; lookups: Lookups }) {
  if (sync.direction !== 'two-way') return null;
  const { twoWay: t } = twoWayFormFields(sync);
  const source = lookups.sourceName(sync.sourceId);
  const register = lookups.schemaName(sync.targetRegisterId, sync.targetSchemaId);
  const conflict = CONFLICT_WORDS[t.conflictPolicy];
  return (
    <Card title="Two-way">
      <p className="mb-3 text-sm text-slate-600" data-testid="two-way-sides">
        {source} ⇄ {register}: both are listed on every run, and a change on either side is copied to the
        other.
      </p>
      <dl className="grid gap-x-6 gap-y-3 sm:grid-cols-2 lg:grid-cols-3">
        <Item label="When both sides changed">
          {conflict.label}: {conflict.explanation.charAt(0).toLowerCase() + conflict.explanation.slice(1)}
        </Item>
        {t.conflictPolicy === 'newer-wins' && (
          <Item label="Updated-at fields">
            source {code(t.updatedAtSource)} · register {code(t.updatedAtTarget)}
          </Item>
        )}
        <Item label="Source of truth">
          {SOURCE_OF_TRUTH_WORDS[t.sourceOfTruth]} ({t.sourceOfTruth === 'source' ? source : register})
        </Item>
        <Item label="Objects only in the register">{TARGET_ONLY_WORDS[t.targetOnly].label}</Item>
        <Item label="Matching on the first run">
          {t.matchSource ? (
            <>
              source {code(t.matchSource)} = register {code(t.matchTarget)}
            </>
          ) : (
            'none: objects without a contract are created on the other side'
          )}
        </Item>
        <Item label="Writes back">
          <WritesBack resolved={sync.writeBackResolved} />
        </Item>
        <Item label="Write-back mapping">
          {sync.writeBackMappingId
            ? lookups.mappingName(sync.writeBackMappingId)
            : 'none: the object as it is'}
        </Item>
      </dl>
    </Card>
  );
}
