'use client';
// Where the person is signed in: each live session with its browser, address, sign-in and last use.
// Any other one can be ended; "everywhere else" keeps this browser, "everywhere" signs this one out too.
// Sessions are named by a handle (a hash), never by the id their cookies carry.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { signOut } from 'next-auth/react';
import { Badge, Button, Card, ErrorText, Loading } from '@/app/_components/ui';
import { ConfirmButton } from '@/app/_components/dialogs';
import { formatTime } from '@/app/_lib/format';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { describeUserAgent } from '@/app/_lib/user-agent';

export function SessionsList() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const own = useQuery(trpc.account.own.queryOptions());
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.account.own.queryKey() });
  const endOne = useMutation(trpc.account.endSession.mutationOptions({ onSuccess: refresh }));
  const endOthers = useMutation(trpc.account.endOtherSessions.mutationOptions({ onSuccess: refresh }));
  const endAll = useMutation(
    trpc.account.endAllSessions.mutationOptions({
      // The session is gone on the server; signing out clears this browser's cookie and goes to sign-in.
      onSuccess: () => signOut({ callbackUrl: '/sign-in' }),
    }),
  );
  const error = endOne.error ?? endOthers.error ?? endAll.error;
  const sessions = own.data?.sessions ?? [];
  const others = sessions.filter((s) => !s.current).length;

  return (
    <Card
      title="Where you are signed in"
      actions={
        <div className="flex flex-wrap gap-2">
          <ConfirmButton
            variant="secondary"
            disabled={others === 0 || endOthers.isPending}
            title="Sign out everywhere else?"
            description="Every other browser and device signed in to your account is signed out. This one stays signed in."
            confirmLabel="Sign out everywhere else"
            onConfirm={() => endOthers.mutate()}
          >
            Sign out everywhere else
          </ConfirmButton>
          <ConfirmButton
            variant="danger"
            disabled={endAll.isPending}
            title="Sign out everywhere?"
            description="Every browser and device signed in to your account is signed out, this one included."
            confirmLabel="Sign out everywhere"
            onConfirm={() => endAll.mutate()}
          >
            Sign out everywhere
          </ConfirmButton>
        </div>
      }
    >
      {own.isPending && <Loading what="your sessions" />}
      <ErrorText>{error ? errorMessage(error) : own.error ? errorMessage(own.error) : null}</ErrorText>
      <ul className="divide-y divide-slate-200" aria-label="Sessions">
        {sessions.map((session) => (
          <li
            key={session.handle}
            className="flex flex-wrap items-center justify-between gap-3 py-3"
            data-testid="session"
          >
            <div className="min-w-0 text-sm">
              <p className="font-medium text-slate-800" title={session.userAgent ?? undefined}>
                {describeUserAgent(session.userAgent)}
                {session.clientAddress && session.clientAddress !== 'unknown' && (
                  <span className="font-normal text-slate-500"> · {session.clientAddress}</span>
                )}{' '}
                {session.current && <Badge tone="green">This browser</Badge>}
              </p>
              <p className="text-xs text-slate-500">
                Signed in {formatTime(session.signedInAt)} · last used {formatTime(session.lastSeenAt)}
              </p>
            </div>
            {!session.current && (
              <Button
                variant="secondary"
                disabled={endOne.isPending}
                onClick={() => endOne.mutate({ handle: session.handle })}
              >
                End session
              </Button>
            )}
          </li>
        ))}
      </ul>
    </Card>
  );
}
