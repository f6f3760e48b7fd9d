'use client';
// The CSV reading options beside the preview: delimiter, quote and encoding, each "detect" (showing what
// was found) or a fixed choice; saving stores them on the source, where synchronisations read them.
import { Select } from '@/app/_components/ui';
import { DELIMITER_LABELS, ENCODINGS, QUOTE_LABELS } from '../_parts/describe';

export interface CsvChoice {
  delimiter: string;
  quote: string;
  encoding: string;
}

interface Props {
  /** The options the preview was read with ('' and 'auto' mean detect). */
  applied: CsvChoice;
  /** What the reader found (or used). */
  found: CsvChoice | undefined;
  onChange: (change: Partial<CsvChoice>) => void;
  disabled: boolean;
}

function Choice(props: {
  label: string;
  value: string;
  detect: string;
  found: string | undefined;
  options: [string, string][];
  onChange: (value: string) => void;
  disabled: boolean;
}) {
  const foundLabel = props.options.find(([value]) => value === props.found)?.[1] ?? props.found;
  return (
    <label className="text-sm">
      <span className="mb-1 block font-medium text-slate-700">{props.label}</span>
      <Select
        aria-label={props.label}
        className="w-full"
        value={props.value}
        disabled={props.disabled}
        onChange={(e) => props.onChange(e.target.value)}
      >
        <option value={props.detect}>
          Detect{props.value === props.detect && foundLabel ? `: ${foundLabel}` : ''}
        </option>
        {props.options.map(([value, label]) => (
          <option key={value} value={value}>
            {label}
          </option>
        ))}
      </Select>
    </label>
  );
}

export function CsvOptions({ applied, found, onChange, disabled }: Props) {
  return (
    <div className="grid gap-3 sm:grid-cols-3">
      <Choice
        label="Delimiter"
        value={applied.delimiter}
        detect=""
        found={found?.delimiter}
        options={Object.entries(DELIMITER_LABELS)}
        onChange={(delimiter) => onChange({ delimiter })}
        disabled={disabled}
      />
      <Choice
        label="Quote"
        value={applied.quote}
        detect=""
        found={found?.quote}
        options={Object.entries(QUOTE_LABELS)}
        onChange={(quote) => onChange({ quote })}
        disabled={disabled}
      />
      <Choice
        label="Encoding"
        value={applied.encoding}
        detect="auto"
        found={found?.encoding}
        options={ENCODINGS.map((e) => [e, e])}
        onChange={(encoding) => onChange({ encoding })}
        disabled={disabled}
      />
    </div>
  );
}

/** What to store in `config.csv`: fixed choices, and a detected encoding that is not UTF-8. */
export function settingsToSave(applied: CsvChoice, found: CsvChoice | undefined) {
  const encoding =
    applied.encoding !== 'auto'
      ? applied.encoding
      : found && found.encoding !== 'utf-8'
        ? found.encoding
        : undefined;
  return {
    delimiter: applied.delimiter || undefined,
    quote: applied.quote || undefined,
    encoding,
  };
}
