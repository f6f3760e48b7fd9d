// The differences between the mapped source (what Concord would write) and the target object, one
// line per path; nothing to show means they match.
import { Badge, TableScroll } from '@/app/_components/ui';
import { diffObjects, type Change } from './delta';

const KINDS = {
  changed: { tone: 'amber', label: 'differs' },
  'only-mapped': { tone: 'red', label: 'missing in target' },
  'only-target': { tone: 'blue', label: 'only in target' },
  moved: { tone: 'neutral', label: 'moved' },
} as const;

function Value({ value, present }: { value: unknown; present: boolean }) {
  if (!present) return <span className="text-slate-400">—</span>;
  return <code className="whitespace-pre-wrap break-all text-xs">{JSON.stringify(value, null, 1)}</code>;
}

export function JsonDiff({ mapped, target }: { mapped: unknown; target: unknown }) {
  const changes: Change[] = diffObjects(mapped, target);
  if (changes.length === 0) {
    return (
      <p className="rounded-md bg-green-50 px-3 py-2 text-sm text-green-900" data-testid="diff-equal">
        The target holds exactly what the mapping makes of the source object.
      </p>
    );
  }
  return (
    <TableScroll label="Differences">
      <table className="w-full min-w-[32rem] text-left text-sm" data-testid="diff-table">
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            <th className="py-2 pr-2">Field</th>
            <th className="py-2 pr-2">Difference</th>
            <th className="py-2 pr-2">Mapped source</th>
            <th className="py-2">Target</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {changes.map((change, i) => (
            <tr key={`${change.path}-${i}`} data-testid="diff-row">
              <td className="py-2 pr-2 font-mono text-xs">{change.path || '(whole object)'}</td>
              <td className="py-2 pr-2">
                <Badge tone={KINDS[change.kind].tone}>{KINDS[change.kind].label}</Badge>
              </td>
              <td className="bg-indigo-50/60 px-2 py-2 text-slate-900">
                <Value
                  value={change.mapped}
                  present={change.kind === 'changed' || change.kind === 'only-mapped'}
                />
              </td>
              <td className="bg-slate-50 px-2 py-2 text-slate-900">
                {change.kind === 'moved' ? (
                  <span className="text-xs">now at [{change.movedTo}]</span>
                ) : (
                  <Value
                    value={change.target}
                    present={change.kind === 'changed' || change.kind === 'only-target'}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
