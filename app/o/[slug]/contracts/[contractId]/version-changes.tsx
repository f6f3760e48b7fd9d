// What one version changed since the version before it: one line per changed field, before and after.
import type { inferRouterOutputs } from '@trpc/server';
import { Badge, TableScroll } from '@/app/_components/ui';
import type { AppRouter } from '@/server/trpc/root';

type Change = inferRouterOutputs<AppRouter>['history']['contract']['versions'][number]['changes'][number];

const KINDS = {
  changed: { tone: 'amber', label: 'changed' },
  added: { tone: 'green', label: 'added' },
  removed: { tone: 'red', label: 'removed' },
  moved: { tone: 'neutral', label: 'moved' },
} as const;

function Value({ value, present }: { value: unknown; present: boolean }) {
  if (!present) return <span className="text-slate-400">—</span>;
  return <code className="whitespace-pre-wrap break-all text-xs">{JSON.stringify(value, null, 1)}</code>;
}

export function VersionChanges({ changes }: { changes: readonly Change[] }) {
  if (changes.length === 0)
    return <p className="text-sm text-slate-600">No field changed: the same object was written again.</p>;
  return (
    <TableScroll label="Changes of this version">
      <table className="w-full min-w-[28rem] text-left text-sm" data-testid="version-diff">
        <thead className="text-xs uppercase text-slate-500">
          <tr>
            <th className="py-1.5 pr-2">Field</th>
            <th className="py-1.5 pr-2">Change</th>
            <th className="py-1.5 pr-2">Before</th>
            <th className="py-1.5">After</th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {changes.map((c, i) => (
            <tr key={`${c.path}-${i}`} data-testid="version-diff-row">
              <td className="py-1.5 pr-2 font-mono text-xs">{c.path || '(whole object)'}</td>
              <td className="py-1.5 pr-2">
                <Badge tone={KINDS[c.kind].tone}>{KINDS[c.kind].label}</Badge>
              </td>
              <td className="bg-red-50/60 px-2 py-1.5 text-slate-900">
                <Value value={c.before} present={c.kind === 'changed' || c.kind === 'removed'} />
              </td>
              <td className="bg-green-50/60 px-2 py-1.5 text-slate-900">
                {c.kind === 'moved' ? (
                  <span className="text-xs">now at [{c.movedTo}]</span>
                ) : (
                  <Value value={c.after} present={c.kind === 'changed' || c.kind === 'added'} />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}
