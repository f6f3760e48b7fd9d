'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ConfirmButton } from '@/app/_components/dialogs';
import { Card, ErrorText, Select, TableScroll } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { ROLE_PERMISSIONS } from '@/server/auth/permissions';
import type { Role } from '@/server/db/schema';

// Not the database schema's ROLES: a value import from there would bring drizzle and node:crypto
// polyfills (which use eval) into the browser.
const ROLES = Object.keys(ROLE_PERMISSIONS) as Role[];

export function MemberList() {
  const trpc = useTRPC();
  const org = useOrg();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.members.list.queryOptions({ orgId: org.orgId }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey() });
  const changeRole = useMutation(trpc.members.changeRole.mutationOptions({ onSuccess: refresh }));
  const remove = useMutation(trpc.members.remove.mutationOptions({ onSuccess: refresh }));
  const error = members.error ?? changeRole.error ?? remove.error;

  return (
    <Card title="Members">
      <ErrorText>{error ? errorMessage(error) : null}</ErrorText>
      {members.isPending ? (
        <p className="text-sm text-slate-500">Loading members…</p>
      ) : (
        <TableScroll label="Members">
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase text-slate-500">
              <tr>
                <th className="py-2">Name</th>
                <th className="py-2">Email</th>
                <th className="py-2">Role</th>
                <th className="py-2 sr-only">Actions</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {members.data?.map((m) => (
                <tr key={m.id} data-testid={`member-${m.email}`}>
                  <td className="py-2 font-medium">{m.name}</td>
                  <td className="py-2 text-slate-600">{m.email}</td>
                  <td className="py-2">
                    <Select
                      aria-label={`Role of ${m.email}`}
                      value={m.role}
                      disabled={changeRole.isPending}
                      onChange={(e) =>
                        changeRole.mutate({
                          orgId: org.orgId,
                          membershipId: m.id,
                          role: e.target.value as Role,
                        })
                      }
                    >
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </Select>
                  </td>
                  <td className="py-2 text-right">
                    <ConfirmButton
                      variant="danger"
                      disabled={remove.isPending}
                      title={`Remove ${m.name} from ${org.name}?`}
                      confirmLabel="Remove"
                      onConfirm={() => remove.mutate({ orgId: org.orgId, membershipId: m.id })}
                    >
                      Remove
                    </ConfirmButton>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </Card>
  );
}
