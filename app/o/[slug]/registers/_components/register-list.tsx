'use client';
// The organisation's registers with their schemas, and the form editors create a register with.
import { useQuery } from '@tanstack/react-query';
import { EmptyState, ErrorText, Loading } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { RegisterCard } from './register-card';
import { RegisterCreate } from './register-create';

export function RegisterList() {
  const trpc = useTRPC();
  const org = useOrg();
  const list = useQuery(trpc.registers.list.queryOptions({ orgId: org.orgId }));
  const canWrite = org.can('registers.write');

  if (list.isPending) return <Loading what="registers" />;
  if (list.error) return <ErrorText>{errorMessage(list.error)}</ErrorText>;
  return (
    <div className="space-y-4">
      {canWrite && <RegisterCreate />}
      {list.data.length === 0 ? (
        <EmptyState title="No registers yet">
          {canWrite ? (
            <p>
              Create a register above (for example “Directory”), then add a schema that describes its objects.
              Synchronisations can then write objects into it.
            </p>
          ) : (
            <p>An editor or admin can create one. Its schemas and objects will show here.</p>
          )}
        </EmptyState>
      ) : (
        list.data.map((register) => <RegisterCard key={register.id} register={register} />)
      )}
    </div>
  );
}
