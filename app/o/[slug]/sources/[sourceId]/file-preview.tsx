'use client';
// The preview of a file source's file as a synchronisation would read it: for CSV the detected
// delimiter, quote and encoding (all changeable; each change re-reads), the header and the first rows;
// a malformed file shows its problem with the line number.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, Card, EmptyState, ErrorText, Loading } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { DELIMITER_LABELS, formatBytes } from '../_parts/describe';
import type { FilePreview as FilePreviewResult } from '@/server/services/files';
import type { Source } from '../_parts/draft';
import { CsvOptions, settingsToSave, type CsvChoice } from './csv-options';
import { PreviewTable } from './preview-table';

type Delimiter = ',' | ';' | '\t' | '|' | '';
type Quote = '"' | "'" | '';
type Encoding = 'auto' | 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin1' | 'windows-1252';

export function FilePreview({ source, fileId }: { source: Source; fileId: string | undefined }) {
  const trpc = useTRPC();
  const org = useOrg();
  const queryClient = useQueryClient();
  // undefined: the options saved on the source.
  const [choice, setChoice] = useState<Partial<CsvChoice>>({});
  const input = {
    orgId: org.orgId,
    sourceId: source.id,
    fileId,
    delimiter: choice.delimiter as Delimiter | undefined,
    quote: choice.quote as Quote | undefined,
    encoding: choice.encoding as Encoding | undefined,
  };
  const preview = useQuery(trpc.sources.preview.queryOptions(input, { placeholderData: keepPreviousData }));
  const save = useMutation(
    trpc.sources.update.mutationOptions({
      onSuccess: async () => {
        setChoice({});
        await queryClient.invalidateQueries({ queryKey: trpc.sources.pathKey() });
      },
    }),
  );

  if (preview.isPending) return <Loading what="the preview" />;
  if (preview.error) return <ErrorText>{errorMessage(preview.error)}</ErrorText>;
  const { file, applied } = preview.data;
  const result = preview.data.preview;
  if (!file || !result) {
    return (
      <EmptyState title="No file yet">
        {org.can('sources.write')
          ? 'Upload a CSV, JSON or XML file above; its first rows appear here to check before a synchronisation reads it.'
          : 'An editor uploads the file; its first rows will appear here.'}
      </EmptyState>
    );
  }
  const csv = result.format === 'csv';
  const found = result.format === 'csv' && result.ok ? result.dialect : undefined;
  const saved = (source.config as { csv?: Partial<CsvChoice> }).csv ?? {};
  const toSave = settingsToSave(applied, found);
  const unsaved =
    toSave.delimiter !== saved.delimiter ||
    toSave.quote !== saved.quote ||
    toSave.encoding !== saved.encoding;

  return (
    <Card title={`Preview · version ${file.version}`}>
      <div className="space-y-4">
        <p className="text-sm text-slate-600">
          <strong className="text-slate-900">{file.name}</strong> · {formatBytes(file.size)} ·{' '}
          {result.format.toUpperCase()}
          {preview.isFetching && <span className="ml-2 text-slate-400">reading…</span>}
        </p>
        {csv && (
          <>
            <CsvOptions
              applied={applied}
              found={found}
              disabled={preview.isFetching}
              onChange={(change) => setChoice({ ...choice, ...change })}
            />
            {found && (
              <p className="text-sm text-slate-700" data-testid="csv-dialect">
                Read with delimiter <strong>{DELIMITER_LABELS[found.delimiter] ?? found.delimiter}</strong>,
                quote <strong>{found.quote}</strong>, encoding <strong>{found.encoding}</strong>
                {result.ok && `, ${result.header.length} columns in the header row`}.
              </p>
            )}
            {org.can('sources.write') && unsaved && (
              <div className="flex flex-wrap items-center gap-3">
                <Button
                  disabled={save.isPending}
                  onClick={() =>
                    save.mutate({
                      orgId: org.orgId,
                      sourceId: source.id,
                      config: { ...(source.config as object), csv: toSave },
                    })
                  }
                >
                  Save CSV settings
                </Button>
                <span className="text-xs text-slate-500">
                  Synchronisations read the file with the saved settings.
                </span>
              </div>
            )}
            {save.isSuccess && !unsaved && <p className="text-sm text-green-700">CSV settings saved.</p>}
            <ErrorText>{save.error ? errorMessage(save.error) : null}</ErrorText>
          </>
        )}
        <PreviewBody result={result} />
      </div>
    </Card>
  );
}

function PreviewBody({ result }: { result: FilePreviewResult }) {
  if (!result.ok) {
    const line =
      'line' in result && result.line && !/line \d/i.test(result.reason) ? `Line ${result.line}: ` : '';
    return <ErrorText>{`${line}${result.reason}`}</ErrorText>;
  }
  if (result.format === 'csv') {
    return (
      <>
        <PreviewTable columns={result.header} rows={result.rows} />
        {result.problems.length > 0 && (
          <ul className="list-disc space-y-1 pl-5 text-sm text-amber-800">
            {result.problems.slice(0, 10).map((p, i) => (
              <li key={i}>{p.line ? `Line ${p.line}: ${p.reason}` : p.reason}</li>
            ))}
          </ul>
        )}
      </>
    );
  }
  return (
    <>
      <PreviewTable columns={result.fields} rows={result.rows} />
      {result.warning && <p className="text-sm text-amber-800">{result.warning}</p>}
    </>
  );
}
