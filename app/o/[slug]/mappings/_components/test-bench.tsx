'use client';
// The test bench: a sample source object (pasted, picked from a register, or taken straight from a
// source), and — as you type — the mapped result or every problem with its key, the keys the sample had
// no value for, and, with a target schema chosen, each field the schema would refuse with what to do.
import { JsonField } from '@/app/_components/json-field';
import { Card, ErrorText, Notice } from '@/app/_components/ui';
import type { JsonText } from '@/app/_lib/json-text';
import type { PreviewResult } from '../_lib/use-preview';
import { SamplePicker } from './sample-picker';
import { SchemaChoice, SchemaFindings } from './schema-findings';
import { SourceSample } from './source-sample';

interface Props {
  sampleText: string;
  onSampleText: (text: string) => void;
  sampleStatus: JsonText;
  configProblem: string | null;
  preview: { result: PreviewResult | null; error: string | null; checking: boolean; active: boolean };
  schemaId: string;
  onSchemaId: (schemaId: string) => void;
}

export function TestBench(props: Props) {
  const { sampleText, onSampleText, sampleStatus, configProblem, preview } = props;
  const { result } = preview;
  return (
    <Card
      title="Test bench"
      actions={preview.checking && <span className="text-xs text-slate-500">Checking…</span>}
    >
      <div className="space-y-4">
        <SamplePicker onPick={(sample) => onSampleText(JSON.stringify(sample, null, 2))} />
        <SourceSample
          onSamples={(samples) => samples[0] && onSampleText(JSON.stringify(samples[0], null, 2))}
        />
        <JsonField
          label="Sample source object"
          value={sampleText}
          onChange={onSampleText}
          status={sampleStatus}
          rows={10}
        />
        <SchemaChoice value={props.schemaId} onChange={props.onSchemaId} />
        <div aria-live="polite">
          <h3 className="mb-1 text-sm font-medium text-slate-700">Mapped result</h3>
          {configProblem ? (
            <Notice>{configProblem}</Notice>
          ) : !preview.active ? (
            <Notice>Fix the sample above to see what the mapping makes of it.</Notice>
          ) : preview.error ? (
            <ErrorText>{preview.error}</ErrorText>
          ) : !result ? (
            <p className="text-sm text-slate-500">Mapping the sample…</p>
          ) : result.ok ? (
            <>
              <pre
                data-testid="mapped-result"
                className="max-h-96 overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs text-slate-800"
              >
                {JSON.stringify(result.result, null, 2)}
              </pre>
              {result.missing.length > 0 && (
                <p className="mt-2 text-xs text-amber-700">
                  Left out because the sample has nothing at their path: {result.missing.join(', ')}
                </p>
              )}
              {'schema' in result && (
                <SchemaFindings name={result.schema.name} findings={result.schema.findings} />
              )}
            </>
          ) : (
            <ul
              data-testid="bench-problems"
              className="space-y-1 rounded-md bg-red-50 p-3 text-sm text-red-800"
            >
              {result.problems.map((p, i) => (
                <li key={i}>
                  {p.key && <code className="mr-1 font-semibold">{p.key}</code>}
                  {p.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </Card>
  );
}
