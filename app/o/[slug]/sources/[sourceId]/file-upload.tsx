'use client';
// Drag and drop or pick a file: streamed to the upload route as the request body (never read whole by
// the browser), with progress. A new upload becomes the next version of the same source.
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type DragEvent } from 'react';
import { Card, ErrorText, Notice } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { useTRPC } from '@/app/_lib/trpc';
import { formatBytes } from '../_parts/describe';
import type { Source } from '../_parts/draft';

type Uploaded = { file: { name: string; version: number; size: number }; savedEncoding?: string };
type State =
  | { kind: 'idle' }
  | { kind: 'uploading'; name: string; sent: number; total: number }
  | { kind: 'done'; result: Uploaded }
  | { kind: 'failed'; error: string };

function send(url: string, file: File, onProgress: (sent: number) => void): Promise<Uploaded> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', url);
    xhr.setRequestHeader('content-type', file.type || 'application/octet-stream');
    xhr.setRequestHeader('x-file-name', encodeURIComponent(file.name));
    xhr.upload.onprogress = (event) => onProgress(event.loaded);
    xhr.onerror = () => reject(new Error('The upload was interrupted: check your connection and try again.'));
    xhr.onload = () => {
      let body: { error?: string } & Partial<Uploaded> = {};
      try {
        body = JSON.parse(xhr.responseText) as typeof body;
      } catch {
        // not JSON: a proxy's error page
      }
      if (xhr.status >= 200 && xhr.status < 300 && body.file) resolve(body as Uploaded);
      else reject(new Error(body.error ?? `The upload failed (${xhr.status}).`));
    };
    xhr.send(file);
  });
}

export function FileUpload({ source, onUploaded }: { source: Source; onUploaded: () => void }) {
  const trpc = useTRPC();
  const org = useOrg();
  const queryClient = useQueryClient();
  const input = useRef<HTMLInputElement>(null);
  const [state, setState] = useState<State>({ kind: 'idle' });
  const [over, setOver] = useState(false);
  const busy = state.kind === 'uploading';

  async function upload(file: File | undefined) {
    if (!file || busy) return;
    setState({ kind: 'uploading', name: file.name, sent: 0, total: file.size });
    try {
      const url = `/api/orgs/${org.orgId}/sources/${source.id}/file`;
      const result = await send(url, file, (sent) =>
        setState({ kind: 'uploading', name: file.name, sent, total: file.size }),
      );
      setState({ kind: 'done', result });
      onUploaded();
      await queryClient.invalidateQueries({ queryKey: trpc.sources.pathKey() });
    } catch (error) {
      setState({ kind: 'failed', error: error instanceof Error ? error.message : String(error) });
    } finally {
      if (input.current) input.current.value = '';
    }
  }

  if (!org.can('sources.write')) return null;
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    void upload(event.dataTransfer.files[0]);
  };
  return (
    <Card title="Upload a file">
      <div
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
        className={`rounded-lg border-2 border-dashed px-4 py-8 text-center text-sm ${over ? 'border-indigo-500 bg-indigo-50' : 'border-slate-300 bg-slate-50'}`}
      >
        <p className="text-slate-700">Drop a file here, or</p>
        <label className="mt-2 inline-block cursor-pointer rounded-md bg-white px-3 py-1.5 font-medium text-slate-800 ring-1 ring-slate-300 hover:bg-slate-50">
          Choose a file
          <input
            ref={input}
            type="file"
            className="sr-only"
            disabled={busy}
            accept=".csv,.tsv,.txt,.json,.jsonl,.ndjson,.xml,text/csv,application/json,application/xml,text/xml"
            onChange={(e) => void upload(e.target.files?.[0])}
          />
        </label>
        <p className="mt-2 text-xs text-slate-500">
          Each upload becomes a new version of this source;{' '}
          {(source.config as { fileId?: string }).fileId
            ? 'its synchronisations keep reading the pinned version until you choose another.'
            : 'its synchronisations read the newest one next time.'}
        </p>
      </div>
      <div className="mt-3 space-y-2" aria-live="polite">
        {state.kind === 'uploading' && (
          <div role="status" className="text-sm text-slate-700">
            Uploading {state.name}… {formatBytes(state.sent)} of {formatBytes(state.total)}
            <progress className="mt-1 block w-full" max={state.total || 1} value={state.sent} />
          </div>
        )}
        {state.kind === 'done' && (
          <p className="text-sm text-green-700" data-testid="upload-done">
            Uploaded {state.result.file.name} ({formatBytes(state.result.file.size)}) as version{' '}
            {state.result.file.version}.
          </p>
        )}
        {state.kind === 'done' && state.result.savedEncoding && (
          <Notice>
            The file is not UTF-8: its encoding ({state.result.savedEncoding}) was saved on the source so that
            synchronisations read it correctly.
          </Notice>
        )}
        <ErrorText>{state.kind === 'failed' ? state.error : null}</ErrorText>
      </div>
    </Card>
  );
}
