'use client';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { ConfirmButton } from '@/app/_components/dialogs';
import { Card, ErrorText, Select, TableScroll } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { ROLE_PERMISSIONS } from '@/server/auth/permissions';
import type { Role } from '@/server/db/schema';

// Not the database schema's ROLES: a value import from there would bring drizzle and node:crypto
// polyfills (which use eval) into the browser.
const ROLES = Object.keys(ROLE_PERMISSIONS) as Role[];

/**
 * The organisation's members with their roles. Your own row is told apart: giving yourself a role that
 * cannot manage members asks first and then leaves this page (it would only answer that your role does
 * not allow it), and removing yourself is leaving the organisation.
 */
export function MemberList({ selfUserId }: { selfUserId: string }) {
  const trpc = useTRPC();
  const org = useOrg();
  const router = useRouter();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.members.list.queryOptions({ orgId: org.orgId }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey() });
  const changeRole = useMutation(
    trpc.members.changeRole.mutationOptions({
      onSuccess: (_, input) => {
        const self = members.data?.find((m) => m.id === input.membershipId)?.userId === selfUserId;
        // A full load: the organisation's shell (menu, role) was rendered for the role you had.
        if (self && !ROLE_PERMISSIONS[input.role].has('members.manage'))
          window.location.assign(`/o/${org.slug}`);
        else void refresh();
      },
    }),
  );
  const remove = useMutation(
    trpc.members.remove.mutationOptions({
      onSuccess: (_, input) => {
        const self = members.data?.find((m) => m.id === input.membershipId)?.userId === selfUserId;
        if (self) router.replace('/');
        else void refresh();
      },
    }),
  );
  const error = members.error ?? changeRole.error ?? remove.error;

  function setRole(m: { id: string; userId: string }, role: Role) {
    const losesMembers = m.userId === selfUserId && !ROLE_PERMISSIONS[role].has('members.manage');
    if (
      losesMembers &&
      !confirm(
        `Make yourself ${role}? You will no longer manage members, and someone else must give the role back.`,
      )
    )
      return;
    changeRole.mutate({ orgId: org.orgId, membershipId: m.id, role });
  }

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
                      onChange={(e) => setRole(m, e.target.value as Role)}
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
                      title={
                        m.userId === selfUserId ? `Leave ${org.name}?` : `Remove ${m.name} from ${org.name}?`
                      }
                      confirmLabel={m.userId === selfUserId ? 'Leave' : 'Remove'}
                      onConfirm={() => remove.mutate({ orgId: org.orgId, membershipId: m.id })}
                    >
                      {m.userId === selfUserId ? 'Leave' : 'Remove'}
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
