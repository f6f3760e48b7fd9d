'use client';
import { useMutation } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { Button, ErrorText } from '@/app/_components/ui';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';

export function AcceptInvitation({ token, email }: { token: string; email: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const accept = useMutation(
    trpc.account.acceptInvitation.mutationOptions({
      onSuccess: ({ orgSlug }) => router.replace(`/o/${orgSlug}`),
    }),
  );
  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-600">You are signed in as {email}.</p>
      <ErrorText>{accept.error ? errorMessage(accept.error) : null}</ErrorText>
      <Button className="w-full" disabled={accept.isPending} onClick={() => accept.mutate({ token })}>
        Accept invitation
      </Button>
    </div>
  );
}
