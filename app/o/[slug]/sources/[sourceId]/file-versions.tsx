'use client';
// The versions of a file source's file, newest first: which one synchronisations read, and a preview
// of any of them. An editor can pin synchronisations to one version, and switch back to the newest.
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Badge, Button, Card, ErrorText, Loading, TableScroll } from '@/app/_components/ui';
import { formatTime } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { formatBytes } from '../_parts/describe';
import type { Source } from '../_parts/draft';

interface Props {
  source: Source;
  previewing: string | undefined;
  onPreview: (fileId: string | undefined) => void;
}

export function FileVersions({ source, previewing, onPreview }: Props) {
  const trpc = useTRPC();
  const org = useOrg();
  const queryClient = useQueryClient();
  const versions = useQuery(trpc.sources.files.queryOptions({ orgId: org.orgId, sourceId: source.id }));
  // Pins a version (`config.fileId`), or with undefined reads the newest again; the preview follows.
  const pin = useMutation(
    trpc.sources.update.mutationOptions({
      onSuccess: async () => {
        onPreview(undefined);
        await queryClient.invalidateQueries({ queryKey: trpc.sources.pathKey() });
      },
    }),
  );
  const setPinned = (fileId: string | undefined) => {
    const { fileId: _pinned, ...rest } = source.config;
    pin.mutate({ orgId: org.orgId, sourceId: source.id, config: fileId ? { ...rest, fileId } : rest });
  };
  const canWrite = org.can('sources.write');
  const config = source.config as { fileId?: string };
  const list = versions.data ?? [];
  const used = config.fileId ?? list[0]?.id;
  const pinned = config.fileId ? list.find((file) => file.id === config.fileId) : undefined;

  if (versions.isPending) return <Loading what="versions" />;
  if (versions.error) return <ErrorText>{errorMessage(versions.error)}</ErrorText>;
  if (list.length === 0) return null;
  return (
    <Card title="Versions">
      {config.fileId && (
        <div
          className="mb-3 flex flex-wrap items-center gap-3 rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900"
          data-testid="pinned-version"
        >
          {config.fileId === list[0]?.id
            ? `Synchronisations stay on version ${list[0].version} when a newer one is uploaded.`
            : `Synchronisations read ${pinned ? `version ${pinned.version}` : 'an older version'}, not the newest.`}
          {canWrite && (
            <Button variant="secondary" disabled={pin.isPending} onClick={() => setPinned(undefined)}>
              {config.fileId === list[0]?.id ? 'Read each new version' : 'Read the newest version'}
            </Button>
          )}
        </div>
      )}
      <ErrorText>{pin.error ? errorMessage(pin.error) : null}</ErrorText>
      <TableScroll label="File versions">
        <table className="w-full text-left text-sm">
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th className="py-2 pr-3">Version</th>
              <th className="py-2 pr-3">File</th>
              <th className="py-2 pr-3">Size</th>
              <th className="py-2 pr-3">Uploaded</th>
              <th className="py-2 pr-3">SHA-256</th>
              <th className="sr-only py-2">Actions</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {list.map((file) => (
              <tr
                key={file.id}
                data-testid={`version-${file.version}`}
                aria-current={file.id === used ? 'true' : undefined}
                className={file.id === used ? 'bg-blue-50/60' : undefined}
              >
                <td className="py-2 pr-3 whitespace-nowrap">
                  {file.version}{' '}
                  {file.id === used && (
                    <Badge tone="blue">{config.fileId ? 'pinned, read by syncs' : 'read by syncs'}</Badge>
                  )}
                </td>
                <td className="max-w-48 truncate py-2 pr-3" title={file.name}>
                  {file.name}
                </td>
                <td className="py-2 pr-3 whitespace-nowrap">{formatBytes(file.size)}</td>
                <td className="py-2 pr-3 whitespace-nowrap">{formatTime(file.createdAt)}</td>
                <td className="py-2 pr-3 font-mono text-xs text-slate-500" title={file.sha256}>
                  {file.sha256.slice(0, 12)}…
                </td>
                <td className="py-2 text-right whitespace-nowrap">
                  {(previewing ?? used) === file.id ? (
                    <span className="text-xs text-slate-500">in the preview</span>
                  ) : (
                    <Button variant="ghost" onClick={() => onPreview(file.id === used ? undefined : file.id)}>
                      Preview
                    </Button>
                  )}
                  {canWrite && file.id !== used && (
                    <Button
                      variant="secondary"
                      className="ml-2"
                      disabled={pin.isPending}
                      onClick={() => setPinned(file.id)}
                    >
                      Use this version
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </Card>
  );
}
