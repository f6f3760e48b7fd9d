'use client';
// Infers a JSON Schema from sample objects — pasted (one object or a list), or taken from a source —
// and puts it in the editor, where it can be changed before the schema is saved.
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { Button, ErrorText, Textarea } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { SourceSample } from '../../mappings/_components/source-sample';

type Sample = Record<string, unknown>;
const isSample = (v: unknown): v is Sample => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The samples in pasted text, or a sentence saying what to fix. */
export function samplesOf(text: string): { ok: true; samples: Sample[] } | { ok: false; message: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return {
      ok: false,
      message: `The samples are not valid JSON: ${(error as Error).message}. Paste one object or a list of objects.`,
    };
  }
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0 || !list.every(isSample))
    return { ok: false, message: 'Paste one JSON object, or a list of objects ([{…}, {…}]).' };
  return { ok: true, samples: list };
}

export function SchemaInference({ onSchema }: { onSchema: (schema: Record<string, unknown>) => void }) {
  const trpc = useTRPC();
  const org = useOrg();
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [count, setCount] = useState<number | null>(null);
  const infer = useMutation(trpc.registers.inferSchema.mutationOptions({ onSuccess: onSchema }));

  function run(samples: Sample[]) {
    setProblem(null);
    setCount(samples.length);
    infer.mutate({ orgId: org.orgId, samples });
  }

  return (
    <details
      className="rounded-md border border-slate-200 bg-slate-50 p-3 text-sm"
      data-testid="schema-inference"
    >
      <summary className="cursor-pointer font-medium text-slate-800">
        Infer the schema from sample objects
      </summary>
      <div className="mt-3 space-y-3">
        <p className="text-slate-600">
          Paste one object or a list of objects, or take them from a source. The types, required fields and
          formats (date-time, date, email, URI) are guessed from what the samples hold; edit the result below
          before you save.
        </p>
        <Textarea
          aria-label="Sample objects"
          rows={6}
          spellCheck={false}
          className="w-full font-mono text-xs"
          value={text}
          placeholder='[{"id": 1, "email": "ada@example.com", "updatedAt": "2024-05-01T10:00:00Z"}]'
          onChange={(e) => setText(e.target.value)}
        />
        <div className="flex flex-wrap items-center gap-3">
          <Button
            variant="secondary"
            disabled={!text.trim() || infer.isPending}
            onClick={() => {
              const parsed = samplesOf(text);
              if (parsed.ok) run(parsed.samples);
              else setProblem(parsed.message);
            }}
          >
            Infer from these samples
          </Button>
          <SourceSample
            action="Infer from this source"
            onSamples={(samples) => {
              setText(JSON.stringify(samples, null, 2));
              run(samples);
            }}
          />
        </div>
        <ErrorText>{problem ?? (infer.error ? errorMessage(infer.error) : null)}</ErrorText>
        {infer.isSuccess && count !== null && (
          <p className="text-green-700" data-testid="inferred">
            Inferred from {count} {count === 1 ? 'sample' : 'samples'}: check it in the JSON Schema below,
            then save.
          </p>
        )}
      </div>
    </details>
  );
}
