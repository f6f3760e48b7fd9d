'use client';
// One stored object in a dialog: its JSON, version, hash, times and whether it is deleted.
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { Badge, Button, ErrorText, Loading } from '@/app/_components/ui';
import { formatTime } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';

export function ObjectView({ objectId, onClose }: { objectId: string; onClose: () => void }) {
  const trpc = useTRPC();
  const org = useOrg();
  const dialog = useRef<HTMLDialogElement>(null);
  const object = useQuery(trpc.registers.object.queryOptions({ orgId: org.orgId, objectId }));

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  return (
    <dialog
      ref={dialog}
      onClose={onClose}
      aria-labelledby="object-view-title"
      className="m-auto w-[min(48rem,calc(100vw-2rem))] rounded-lg p-0 shadow-xl backdrop:bg-slate-900/40"
    >
      <header className="flex items-center justify-between border-b border-slate-200 px-4 py-3">
        <h2 id="object-view-title" className="font-mono text-sm font-semibold text-slate-800">
          {objectId}
        </h2>
        <Button variant="secondary" onClick={() => dialog.current?.close()}>
          Close
        </Button>
      </header>
      <div className="space-y-3 p-4">
        {object.isPending ? (
          <Loading what="the object" />
        ) : object.error ? (
          <ErrorText>{errorMessage(object.error)}</ErrorText>
        ) : (
          <>
            <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4">
              <dt className="text-slate-500">State</dt>
              <dd>
                {object.data.deletedAt ? (
                  <Badge tone="red">deleted {formatTime(object.data.deletedAt)}</Badge>
                ) : (
                  <Badge tone="green">live</Badge>
                )}
              </dd>
              <dt className="text-slate-500">Version</dt>
              <dd>{object.data.version}</dd>
              <dt className="text-slate-500">Created</dt>
              <dd>{formatTime(object.data.createdAt)}</dd>
              <dt className="text-slate-500">Updated</dt>
              <dd>{formatTime(object.data.updatedAt)}</dd>
              <dt className="text-slate-500">Hash</dt>
              <dd className="col-span-1 truncate font-mono text-xs sm:col-span-3" title={object.data.hash}>
                {object.data.hash}
              </dd>
            </dl>
            <pre
              data-testid="object-json"
              className="max-h-[60vh] overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs text-slate-800"
            >
              {JSON.stringify(object.data.data, null, 2)}
            </pre>
          </>
        )}
      </div>
    </dialog>
  );
}
