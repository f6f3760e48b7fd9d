'use client';
// A schema's page: where it sits, its JSON Schema (editable by editors), deleting it, and its objects.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { ConfirmButton } from '@/app/_components/dialogs';
import { ErrorText, Loading, PageHeader } from '@/app/_components/ui';
import { formatTime } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { Breadcrumbs } from './breadcrumbs';
import { SchemaEditor } from './schema-editor';
import { SchemaObjects } from './schema-objects';

export function SchemaDetail({ registerId, schemaId }: { registerId: string; schemaId: string }) {
  const trpc = useTRPC();
  const org = useOrg();
  const router = useRouter();
  const queryClient = useQueryClient();
  const schema = useQuery(trpc.registers.schema.queryOptions({ orgId: org.orgId, schemaId }));
  const remove = useMutation(
    trpc.registers.deleteSchema.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.registers.list.queryKey() });
        router.push(`/o/${org.slug}/registers`);
      },
    }),
  );

  if (schema.isPending) return <Loading what="the schema" />;
  if (schema.error) return <ErrorText>{errorMessage(schema.error)}</ErrorText>;
  const row = schema.data;
  return (
    <>
      <Breadcrumbs registerId={registerId} current={row.name} />
      <PageHeader
        title={row.name}
        description={`${row.description || 'A schema of this register.'} Last changed ${formatTime(row.updatedAt)}.`}
        actions={
          <div className="flex flex-wrap items-center gap-3">
            <Link
              className="text-sm font-medium text-indigo-700 hover:underline"
              href={`/o/${org.slug}/registers/${registerId}/schemas/${schemaId}/hub`}
            >
              Hub: who feeds it, whom it feeds
            </Link>
            {org.can('registers.write') && (
              <ConfirmButton
                variant="danger"
                disabled={remove.isPending}
                title={`Delete the schema ${row.name} and its objects?`}
                confirmLabel="Delete schema"
                onConfirm={() => remove.mutate({ orgId: org.orgId, schemaId })}
              >
                Delete schema
              </ConfirmButton>
            )}
          </div>
        }
      />
      <div className="space-y-6">
        <ErrorText>{remove.error ? errorMessage(remove.error) : null}</ErrorText>
        <SchemaEditor key={row.id} registerId={registerId} schema={row} />
        <SchemaObjects schemaId={schemaId} jsonSchema={row.jsonSchema} />
      </div>
    </>
  );
}
