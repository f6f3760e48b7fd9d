'use client';
// The page of one source: header, settings form, the type's own cards, and deleting it.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { ConfirmButton } from '@/app/_components/dialogs';
import { Badge, Card, ErrorText, Loading, PageHeader } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { TYPE_LABELS } from '../_parts/describe';
import { SourceForm } from '../_parts/source-form';
import { DiscoverTypes } from './discover-types';
import { FileSection } from './file-section';
import { SqlTestConnection } from './sql-test-connection';
import { TestConnection } from './test-connection';

export function SourceDetail({ sourceId }: { sourceId: string }) {
  const trpc = useTRPC();
  const org = useOrg();
  const router = useRouter();
  const queryClient = useQueryClient();
  const source = useQuery(trpc.sources.get.queryOptions({ orgId: org.orgId, sourceId }));
  const remove = useMutation(
    trpc.sources.delete.mutationOptions({
      onSuccess: () => {
        void queryClient.invalidateQueries({ queryKey: trpc.sources.list.queryKey() });
        router.push(`/o/${org.slug}/sources`);
      },
    }),
  );
  const back = (
    <Link href={`/o/${org.slug}/sources`} className="text-sm text-indigo-700 hover:underline">
      ← All sources
    </Link>
  );

  if (source.isPending) return <Loading what="the source" />;
  if (source.error) {
    return (
      <div className="space-y-3">
        {back}
        <ErrorText>{errorMessage(source.error)}</ErrorText>
      </div>
    );
  }
  const data = source.data;
  return (
    <>
      <div className="mb-2">{back}</div>
      <PageHeader
        title={data.name}
        description={`${TYPE_LABELS[data.type]} source`}
        actions={
          <span className="flex gap-2">
            {data.enabled ? <Badge tone="green">enabled</Badge> : <Badge>disabled</Badge>}
            {!org.can('sources.write') && <Badge tone="blue">read only</Badge>}
          </span>
        }
      />
      <div className="space-y-6">
        {data.type === 'file' && <FileSection source={data} />}
        <SourceForm type={data.type} source={data} />
        {data.type === 'rest' && <TestConnection sourceId={data.id} />}
        {data.type === 'sql' && <SqlTestConnection sourceId={data.id} />}
        {data.type !== 'register' && <DiscoverTypes source={data} />}
        {org.can('sources.write') && (
          <Card title="Delete source">
            <p className="mb-3 text-sm text-slate-600">
              A source that synchronisations use cannot be deleted; change or delete those first.
            </p>
            <ErrorText>{remove.error ? errorMessage(remove.error) : null}</ErrorText>
            <ConfirmButton
              variant="danger"
              disabled={remove.isPending}
              title={`Delete the source “${data.name}”${data.type === 'file' ? ' and its files' : ''}?`}
              confirmLabel="Delete source"
              onConfirm={() => remove.mutate({ orgId: org.orgId, sourceId: data.id })}
            >
              Delete {data.name}
            </ConfirmButton>
          </Card>
        )}
      </div>
    </>
  );
}
