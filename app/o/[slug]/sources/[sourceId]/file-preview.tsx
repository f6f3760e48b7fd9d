'use client';
// The preview of a file source's file as a synchronisation would read it: for CSV the detected
// delimiter, quote and encoding (all changeable; each change re-reads), the header and the first rows;
// the whole file counted (rows, bad rows, duplicate and missing ids of the chosen id column, which for
// CSV is saved on the source and is what its synchronisations identify rows by); a malformed file shows
// its problem with the line number.
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Button, Card, EmptyState, ErrorText, Loading } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { DELIMITER_LABELS, formatBytes } from '../_parts/describe';
import type { FilePreview as FilePreviewResult } from '@/server/services/files';
import type { Source } from '../_parts/draft';
import { CsvOptions, settingsToSave, type CsvChoice } from './csv-options';
import { FileScanSummary } from './file-scan-summary';
import { guessIdColumn, PreviewTable } from './preview-table';

type Delimiter = ',' | ';' | '\t' | '|' | '';
type Quote = '"' | "'" | '';
type Encoding = 'auto' | 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin1' | 'windows-1252';

export function FilePreview({ source, fileId }: { source: Source; fileId: string | undefined }) {
  const trpc = useTRPC();
  const org = useOrg();
  const queryClient = useQueryClient();
  // undefined: the options saved on the source.
  const [choice, setChoice] = useState<Partial<CsvChoice>>({});
  // null: the id column saved on the source, else a guess from the header.
  const [idChoice, setIdChoice] = useState<string | null>(null);
  const input = {
    orgId: org.orgId,
    sourceId: source.id,
    fileId,
    delimiter: choice.delimiter as Delimiter | undefined,
    quote: choice.quote as Quote | undefined,
    encoding: choice.encoding as Encoding | undefined,
    idColumn: idChoice ?? undefined,
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
  const { file, applied, scan, savedIdColumn } = preview.data;
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
  const columns = result.ok ? (result.format === 'csv' ? result.header : result.fields) : [];
  const idColumn =
    idChoice !== null && columns.includes(idChoice) ? idChoice : (savedIdColumn ?? guessIdColumn(columns));
  const duplicateIds = new Set(scan?.ids?.duplicates.listed.map((d) => d.id) ?? []);
  const saveIdColumn = () =>
    save.mutate({
      orgId: org.orgId,
      sourceId: source.id,
      config: {
        ...(source.config as object),
        csv: { ...((source.config as { csv?: object }).csv ?? {}), idColumn },
      },
    });
  const idHelp = csv ? (
    savedIdColumn === idColumn ? (
      <p>
        Synchronisations of this source identify each row by <code>{idColumn}</code>. Its values must be
        unique and present in every row.
      </p>
    ) : (
      <div className="flex flex-wrap items-center gap-2">
        <p>
          {savedIdColumn ? (
            <>
              Synchronisations identify rows by <code>{savedIdColumn}</code> now. Changing it makes them see
              every row as new.
            </>
          ) : (
            <>Synchronisations of this source will identify each row by the column you choose here.</>
          )}
        </p>
        {org.can('sources.write') && (
          <Button variant="secondary" disabled={save.isPending} onClick={saveIdColumn}>
            Use {idColumn} as the id column
          </Button>
        )}
      </div>
    )
  ) : (
    <p>
      In a synchronisation of this source, set the id field to <code>{idColumn}</code>. Its values must be
      unique and present in every row.
    </p>
  );

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
                      config: {
                        ...(source.config as object),
                        csv: { ...toSave, idColumn: savedIdColumn ?? undefined },
                      },
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
        {scan && <FileScanSummary scan={scan} />}
        <PreviewBody
          result={result}
          idColumn={idColumn}
          onIdColumn={setIdChoice}
          duplicateIds={duplicateIds}
          idHelp={idHelp}
          scanned={scan !== null}
        />
      </div>
    </Card>
  );
}

interface BodyProps {
  result: FilePreviewResult;
  idColumn: string;
  onIdColumn: (column: string) => void;
  duplicateIds: ReadonlySet<string>;
  idHelp: ReactNode;
  /** The whole file was counted: its bad rows are listed above, not only those of the first rows. */
  scanned: boolean;
}

function PreviewBody({ result, idColumn, onIdColumn, duplicateIds, idHelp, scanned }: BodyProps) {
  const table = { idColumn, onIdColumn, duplicateIds, children: idHelp };
  if (!result.ok) {
    const line =
      'line' in result && result.line && !/line \d/i.test(result.reason) ? `Line ${result.line}: ` : '';
    return <ErrorText>{`${line}${result.reason}`}</ErrorText>;
  }
  if (result.format === 'csv') {
    return (
      <>
        <PreviewTable columns={result.header} rows={result.rows} {...table} />
        {!scanned && result.problems.length > 0 && (
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
      <PreviewTable columns={result.fields} rows={result.rows} {...table} />
      {result.warning && <p className="text-sm text-amber-800">{result.warning}</p>}
    </>
  );
}
