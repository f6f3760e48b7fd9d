// A contract's hashes and times: when each side changed, was checked and was synced.
import type { inferRouterOutputs } from '@trpc/server';
import { formatTime } from '@/app/_lib/format';
import type { AppRouter } from '@/server/trpc/root';
import { TableScroll } from '@/app/_components/ui';

type Contract = inferRouterOutputs<AppRouter>['contracts']['detail']['contract'];

const Hash = ({ value }: { value: string | null }) => (
  <code className="break-all text-xs text-slate-700">{value ?? '—'}</code>
);

export function ContractFacts({
  contract: c,
  lastCompleteListing,
}: {
  contract: Contract;
  lastCompleteListing: { startedAt: Date | null } | null;
}) {
  const rows = [
    ['Last changed', c.sourceLastChanged, c.targetLastChanged],
    ['Last checked', c.sourceLastChecked, c.targetLastChecked],
    ['Last synced', c.sourceLastSynced, c.targetLastSynced],
  ] as const;
  return (
    <div className="space-y-4">
      <TableScroll label="Both sides">
        <table className="w-full min-w-[28rem] text-left text-sm">
          <thead className="text-xs uppercase text-slate-500">
            <tr>
              <th className="py-1.5 pr-2" />
              <th className="py-1.5 pr-2">Source</th>
              <th className="py-1.5">Target</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            <tr>
              <th className="py-1.5 pr-2 font-medium text-slate-600">Id</th>
              <td className="break-all py-1.5 pr-2 font-mono text-xs">{c.originId}</td>
              <td className="break-all py-1.5 font-mono text-xs">{c.targetId ?? '—'}</td>
            </tr>
            <tr>
              <th className="py-1.5 pr-2 font-medium text-slate-600">Hash</th>
              <td className="py-1.5 pr-2" data-testid="origin-hash">
                <Hash value={c.originHash} />
              </td>
              <td className="py-1.5" data-testid="target-hash">
                <Hash value={c.targetHash} />
              </td>
            </tr>
            {rows.map(([label, source, target]) => (
              <tr key={label}>
                <th className="py-1.5 pr-2 font-medium text-slate-600">{label}</th>
                <td className="py-1.5 pr-2">{formatTime(source)}</td>
                <td className="py-1.5">{formatTime(target)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
      <p className="text-xs text-slate-500" data-testid="unchanged-note">
        An object that did not change is not written again, so these times are from its last write.
        {lastCompleteListing?.startedAt
          ? ` The source was last read whole ${formatTime(lastCompleteListing.startedAt)}.`
          : ' The source has not been read whole yet.'}
      </p>
      <p className="text-xs text-slate-500">
        Contract created {formatTime(c.createdAt)} · last updated {formatTime(c.updatedAt)}
        {c.parentOriginId && ` · a sub-object of “${c.parentOriginId}”`}
      </p>
    </div>
  );
}
