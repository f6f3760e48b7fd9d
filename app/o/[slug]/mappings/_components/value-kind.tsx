// How a mapping value will be read — source path, Liquid template or fixed text — as a small badge.
import { Badge } from '@/app/_components/ui';
import { classifyMappingValue, ROOT_REPLACEMENT_KEY } from '@/server/sync/core/mapping/config';

export function ValueKind({ outputKey, value }: { outputKey: string; value: string }) {
  if (!value) return <span className="text-xs text-slate-400">empty</span>;
  const kind = classifyMappingValue(value);
  const title =
    outputKey === ROOT_REPLACEMENT_KEY
      ? 'The object at this source path becomes the whole output'
      : kind === 'template'
        ? 'A Liquid template rendered with the source object; the result is text'
        : kind === 'literal'
          ? `The fixed text “${value.slice(1)}”`
          : `The value at “${value.trim()}” in the source; left out when the source lacks it`;
  const tone = kind === 'template' ? 'amber' : kind === 'literal' ? 'green' : 'blue';
  return (
    <span title={title} data-testid="value-kind">
      <Badge tone={tone}>{kind}</Badge>
    </span>
  );
}
