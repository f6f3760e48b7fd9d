'use client';
// A contract's page: how it stands (status, last action, last error), both sides of the object, the
// differences between the mapped source and the target, hashes and times, and Re-sync.
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { Card, ErrorText, Loading, Notice, PageHeader } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { actionLabel, ContractStatusBadge, STATUS_HINTS } from '../_components/contract-badges';
import { ContractFacts } from './contract-facts';
import { ContractHistory } from './contract-history';
import { JsonDiff } from './json-diff';
import { ReleaseButton } from './release-button';
import { ResyncButton } from './resync-button';
import { kindLabel } from '../../conflicts/_components/conflict-labels';

const Json = ({ value, testId }: { value: unknown; testId: string }) => (
  <pre
    className="max-h-96 overflow-auto rounded-md bg-slate-900 p-3 text-xs text-slate-100"
    data-testid={testId}
  >
    {JSON.stringify(value, null, 2)}
  </pre>
);

const NO_SOURCE =
  'Concord has not kept the source object of this contract: it was last synchronised before source objects were kept. The next run that reads it stores it.';

export function ContractView({ contractId }: { contractId: string }) {
  const trpc = useTRPC();
  const org = useOrg();
  const detail = useQuery(trpc.contracts.detail.queryOptions({ orgId: org.orgId, contractId }));

  if (detail.error) return <ErrorText>{errorMessage(detail.error)}</ErrorText>;
  if (detail.isPending) return <Loading what="the contract" />;
  const { contract: c, sync, source, mapped, target, targetNote } = detail.data;
  const contractsHref = `/o/${org.slug}/synchronisations/${sync.id}/contracts`;
  const resyncBlocked = !sync.enabled
    ? 'The synchronisation is disabled.'
    : c.status === 'deleted' || c.status === 'held'
      ? 'The source no longer lists this object.'
      : !source && !c.parentOriginId
        ? 'The source object was not kept; run the synchronisation instead.'
        : null;

  return (
    <div className="space-y-6">
      <PageHeader
        title={`Contract ${c.originId}`}
        description={`Synchronisation “${sync.name}” · target: ${sync.targetType === 'register' ? 'register' : 'REST API'}`}
        actions={
          c.status === 'quarantined' ? (
            <ReleaseButton contractId={c.id} />
          ) : (
            <ResyncButton contractId={c.id} disabledReason={resyncBlocked} />
          )
        }
      />
      <p className="-mt-4 text-sm">
        <Link className="font-medium text-indigo-700 hover:underline" href={contractsHref}>
          ← All contracts of this synchronisation
        </Link>
      </p>
      <Card title="How it stands">
        <div className="flex flex-wrap items-center gap-3 text-sm">
          <ContractStatusBadge status={c.status} />
          <span className="text-slate-700">{STATUS_HINTS[c.status]}</span>
          <span className="text-slate-500">Last action: {actionLabel(c.lastAction)}</span>
        </div>
        {c.lastError && (
          <p className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800" data-testid="last-error">
            {c.lastError}
          </p>
        )}
      </Card>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Source object (as last seen)">
          {source ? <Json value={source} testId="source-object" /> : <Notice>{NO_SOURCE}</Notice>}
        </Card>
        <Card title={target ? `Target object (version ${target.version})` : 'Target object'}>
          {target && <Json value={target.data} testId="target-object" />}
          {targetNote && <Notice>{targetNote}</Notice>}
        </Card>
      </div>
      <Card title="Mapped source compared with the target">
        {!mapped ? (
          <Notice>There is no source object to compare.</Notice>
        ) : !mapped.ok ? (
          <ErrorText>
            The mapping cannot map this object:{' '}
            {mapped.problems.map((p) => `${p.key}: ${p.message}`).join('; ')}
          </ErrorText>
        ) : !target ? (
          <div className="space-y-3">
            <Notice>
              There is no target object to compare with. This is what the mapping makes of the source:
            </Notice>
            <Json value={mapped.result} testId="mapped-object" />
          </div>
        ) : (
          <JsonDiff mapped={mapped.result} target={target.data} />
        )}
      </Card>
      <ContractHistory contractId={c.id} />
      {detail.data.conflicts.length > 0 && (
        <Card title="Conflicts of this object">
          <ul className="space-y-3 text-sm" data-testid="contract-conflicts">
            {detail.data.conflicts.map((conflict) => (
              <li key={conflict.id} className="space-y-1">
                <Link
                  className="font-medium text-indigo-700 hover:underline"
                  href={`/o/${org.slug}/conflicts/${conflict.id}`}
                >
                  {kindLabel(conflict)}
                </Link>{' '}
                <span className="text-slate-500">
                  {conflict.status === 'resolved'
                    ? `settled${conflict.resolvedBy ? ` by ${conflict.resolvedBy}` : ''}`
                    : conflict.status === 'resolving'
                      ? 'resolved, waiting for the next run'
                      : 'waiting for a person'}
                </span>
                {conflict.losingData && (
                  <details>
                    <summary className="cursor-pointer text-slate-600">The version that lost</summary>
                    <Json value={conflict.losingData} testId="losing-version" />
                  </details>
                )}
              </li>
            ))}
          </ul>
        </Card>
      )}
      <Card title="Hashes and times">
        <ContractFacts contract={c} lastCompleteListing={detail.data.lastCompleteListing} />
      </Card>
    </div>
  );
}
