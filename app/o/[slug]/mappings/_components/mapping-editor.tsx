'use client';
// The mapping editor card: a form for the mapping language (keys, casts, options) or the raw JSON of
// the configuration, with a switch between the two.
import { JsonField } from '@/app/_components/json-field';
import { Button, Card, ErrorText } from '@/app/_components/ui';
import type { JsonText } from '@/app/_lib/json-text';
import { type Draft, type Problem, formProblems } from '../_lib/draft';
import { CastRows } from './cast-rows';
import { MappingOptions } from './mapping-options';
import { MappingRows } from './mapping-rows';

export type Mode = 'form' | 'json';

interface Props {
  mode: Mode;
  onMode: (mode: Mode) => void;
  modeError: string | null;
  draft: Draft;
  onDraft: (patch: Partial<Draft>) => void;
  rawText: string;
  onRawText: (text: string) => void;
  rawStatus: JsonText;
  problems: readonly Problem[];
  readOnly: boolean;
}

const Heading = ({ children }: { children: string }) => (
  <h3 className="mb-2 mt-6 text-xs font-semibold uppercase text-slate-500 first:mt-0">{children}</h3>
);

export function MappingEditor(props: Props) {
  const { mode, draft, onDraft, problems, readOnly } = props;
  const toggle = (
    <div className="flex gap-1" role="group" aria-label="Editor mode">
      {(['form', 'json'] as const).map((m) => (
        <Button
          key={m}
          variant={mode === m ? 'primary' : 'ghost'}
          aria-pressed={mode === m}
          onClick={() => props.onMode(m)}
        >
          {m === 'form' ? 'Form' : 'JSON'}
        </Button>
      ))}
    </div>
  );

  return (
    <Card title="Mapping language" actions={toggle}>
      <ErrorText>{props.modeError}</ErrorText>
      {mode === 'json' ? (
        <JsonField
          label="Configuration (mapping, unset, cast, passThrough, root)"
          value={props.rawText}
          onChange={props.onRawText}
          status={props.rawStatus}
          readOnly={readOnly}
          rows={20}
        />
      ) : (
        <div>
          <Heading>Keys</Heading>
          <MappingRows
            rows={draft.rows}
            onChange={(rows) => onDraft({ rows })}
            problems={problems}
            hints={formProblems(draft)}
            readOnly={readOnly}
          />
          <Heading>Casts</Heading>
          <CastRows
            casts={draft.casts}
            keys={draft.rows.map((r) => r.key.trim()).filter(Boolean)}
            onChange={(casts) => onDraft({ casts })}
            problems={problems}
            readOnly={readOnly}
          />
          <Heading>Options</Heading>
          <MappingOptions draft={draft} onChange={onDraft} problems={problems} readOnly={readOnly} />
        </div>
      )}
    </Card>
  );
}
