'use client';
// One stored object in a dialog (Radix, via Modal): its JSON, version, hash, whether it is deleted, and who created it
// and changed it last (a person, or a synchronisation) and when. Editors edit it here (ObjectEditor)
// or delete it, after confirming.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ConfirmButton, Modal } from '@/app/_components/dialogs';
import { Badge, Button, ErrorText, Loading } from '@/app/_components/ui';
import { formatTime } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import type { ObjectRow } from '../_lib/types';
import { ObjectEditor } from './object-editor';
import { ObjectOrigins } from './object-origins';

/** "by Ada" or "by the synchronisation People to CRM", for the object's last change. */
export function changedBy(row: Pick<ObjectRow, 'updatedByName' | 'updatedBySyncName' | 'updatedBySyncSeq'>) {
  if (row.updatedByName) return `by ${row.updatedByName}`;
  if (row.updatedBySyncName) return `by the synchronisation ${row.updatedBySyncName}`;
  // Its writer's number outlives the synchronisation (no number is given twice).
  if (row.updatedBySyncSeq !== null) return 'by a synchronisation since deleted';
  return '';
}

interface Props {
  objectId: string;
  jsonSchema: Record<string, unknown>;
  onClose: () => void;
}

export function ObjectView({ objectId, jsonSchema, onClose }: Props) {
  const trpc = useTRPC();
  const org = useOrg();
  const queryClient = useQueryClient();
  const [editing, setEditing] = useState(false);
  const object = useQuery(trpc.registers.object.queryOptions({ orgId: org.orgId, objectId }));
  const remove = useMutation(
    trpc.registers.deleteObject.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.registers.pathKey() }),
    }),
  );
  const canWrite = org.can('registers.write');

  const row = object.data;
  return (
    <Modal
      open
      onOpenChange={(open) => !open && onClose()}
      title={objectId}
      titleClassName="min-w-0 break-all font-mono text-sm font-semibold text-slate-800"
      actions={
        canWrite &&
        row &&
        !row.deletedAt &&
        !editing && (
          <>
            <Button variant="secondary" onClick={() => setEditing(true)}>
              Edit
            </Button>
            <ConfirmButton
              variant="danger"
              disabled={remove.isPending}
              title={`Delete the object ${objectId}?`}
              description="Synchronisations that push this schema delete it in their targets too."
              confirmLabel="Delete object"
              onConfirm={() => remove.mutate({ orgId: org.orgId, objectId })}
            >
              Delete
            </ConfirmButton>
          </>
        )
      }
    >
      <div className="space-y-3 p-4">
        <ErrorText>{remove.error ? errorMessage(remove.error) : null}</ErrorText>
        {object.isPending ? (
          <Loading what="the object" />
        ) : object.error ? (
          <ErrorText>{errorMessage(object.error)}</ErrorText>
        ) : editing ? (
          <ObjectEditor
            schemaId={object.data.schemaId}
            jsonSchema={jsonSchema}
            object={object.data}
            onDone={() => setEditing(false)}
          />
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
              <dd data-testid="object-version">{object.data.version}</dd>
              <dt className="text-slate-500">Created</dt>
              <dd className="sm:col-span-3">
                {formatTime(object.data.createdAt)}
                {object.data.createdByName ? ` by ${object.data.createdByName}` : ''}
              </dd>
              <dt className="text-slate-500">Last changed</dt>
              <dd className="sm:col-span-3" data-testid="object-changed">
                {formatTime(object.data.updatedAt)} {changedBy(object.data)}
              </dd>
              <dt className="text-slate-500">Hash</dt>
              <dd className="col-span-1 truncate font-mono text-xs sm:col-span-3" title={object.data.hash}>
                {object.data.hash}
              </dd>
            </dl>
            <ObjectOrigins objectId={objectId} />
            <pre
              data-testid="object-json"
              className="max-h-[60vh] overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs text-slate-800"
            >
              {JSON.stringify(object.data.data, null, 2)}
            </pre>
          </>
        )}
      </div>
    </Modal>
  );
}
