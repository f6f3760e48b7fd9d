'use client';
// A person's resolution: keep the source's version, the target's, or pick per field (every field both
// sides changed needs a pick; the others start on the side that changed them). The next run of the
// synchronisation writes the result to both sides.
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Card, ErrorText } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { ThreeWayTable } from './three-way-table';
import { defaultSide, type ConflictPage, type Picks } from './types';

function initialPicks(data: ConflictPage): Picks {
  const saved = data.conflict.resolution as { take?: string; fields?: Picks } | null;
  const picks: Picks = {};
  for (const row of data.rows) {
    const side = saved?.take === 'fields' ? (saved.fields?.[row.path] ?? defaultSide(row)) : defaultSide(row);
    if (side) picks[row.path] = side;
  }
  return picks;
}

export function ResolvePanel({ data }: { data: ConflictPage }) {
  const trpc = useTRPC();
  const org = useOrg();
  const queryClient = useQueryClient();
  const { conflict, rows } = data;
  const [picks, setPicks] = useState<Picks>(() => initialPicks(data));
  const resolve = useMutation(
    trpc.conflicts.resolve.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.conflicts.pathKey() }),
    }),
  );
  const perField = conflict.kind === 'both-changed';
  const left = rows.filter((r) => r.conflicting && !picks[r.path]).length;
  const take = (side: 'source' | 'target') =>
    resolve.mutate({ orgId: org.orgId, conflictId: conflict.id, take: side });
  const deletes = (side: 'source' | 'target') =>
    side === 'source' ? conflict.kind === 'source-deleted' : conflict.kind === 'target-deleted';

  return (
    <Card title={conflict.status === 'resolving' ? 'Change the resolution' : 'Resolve'}>
      <div className="space-y-4">
        <ThreeWayTable
          rows={rows}
          noBase={data.firstMatch}
          sourceDeleted={conflict.kind === 'source-deleted'}
          targetDeleted={conflict.kind === 'target-deleted'}
          picks={perField ? picks : undefined}
          onPick={perField ? (path, side) => setPicks({ ...picks, [path]: side }) : undefined}
        />
        <ErrorText>{resolve.error ? errorMessage(resolve.error) : null}</ErrorText>
        <div className="flex flex-wrap items-center gap-2">
          <Button variant="secondary" disabled={resolve.isPending} onClick={() => take('source')}>
            Keep source version
          </Button>
          <Button variant="secondary" disabled={resolve.isPending} onClick={() => take('target')}>
            Keep target version
          </Button>
          {perField && (
            <Button
              disabled={resolve.isPending || left > 0}
              onClick={() =>
                resolve.mutate({ orgId: org.orgId, conflictId: conflict.id, take: 'fields', fields: picks })
              }
            >
              Apply picked fields
            </Button>
          )}
        </div>
        <p className="text-xs text-slate-500">
          {perField
            ? left > 0
              ? `Pick the source or the target for each field ${data.firstMatch ? 'that differs' : 'both sides changed'} (${left} left), then apply. `
              : 'The picked values are written to both sides. '
            : `${deletes('source') ? 'Keeping the source version deletes the object in the register too' : 'Keeping the target version deletes the object at the source too'}; keeping the other side's restores it there. `}
          Nothing is written until the next run of the synchronisation, which starts now.
        </p>
      </div>
    </Card>
  );
}
