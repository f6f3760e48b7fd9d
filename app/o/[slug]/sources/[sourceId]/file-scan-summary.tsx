'use client';
// The whole file as a synchronisation would read it: how many rows, the rows it would leave out (with
// their line and why), the ids found twice or missing in the chosen id column, and where the file
// breaks off when it does.
import type { FileScan } from '@/server/services/file-scan';
import { formatCount } from '@/app/_lib/format';

const plural = (n: number, one: string, many = `${one}s`) => `${formatCount(n)} ${n === 1 ? one : many}`;

export function FileScanSummary({ scan }: { scan: FileScan }) {
  const ids = scan.ids;
  // One numbering for every row named here: file lines for CSV (as an editor shows them), else records.
  const places = scan.numbering === 'line' ? 'lines' : 'records';
  const clean =
    scan.badRows.count === 0 &&
    !scan.failure &&
    (!ids || (ids.duplicates.count === 0 && ids.missing.count === 0));
  return (
    <div className="space-y-2 text-sm" data-testid="file-scan">
      <p className="text-slate-800">
        <strong data-testid="row-count">{plural(scan.rows, 'row')}</strong> a synchronisation would read
        {scan.badRows.count > 0 && (
          <>
            , <strong className="text-red-700">{plural(scan.badRows.count, 'bad row')}</strong> it would leave
            out
          </>
        )}
        {ids && ids.duplicates.count > 0 && (
          <>
            , <strong className="text-amber-800">{plural(ids.duplicates.count, 'duplicate id')}</strong>
          </>
        )}
        {ids && ids.missing.count > 0 && (
          <>
            , <strong className="text-amber-800">{plural(ids.missing.count, 'row')} without an id</strong>
          </>
        )}
        .
        {clean && (
          <span className="text-green-700"> Every row can be read{ids ? ' and has its own id' : ''}.</span>
        )}
      </p>
      {scan.failure && (
        <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-red-800" data-testid="scan-failure">
          {scan.failure.reason} Nothing after that point would be synchronised: fix the file and upload it
          again.
        </p>
      )}
      {scan.badRows.count > 0 && (
        <div className="rounded-md bg-red-50 px-3 py-2 text-red-800" data-testid="bad-rows">
          <p className="font-medium">
            Bad rows — each is an invalid object of every synchronisation run (and nothing is deleted while
            the file has them). Fix them in the file and upload it again:
          </p>
          <ul className="mt-1 list-disc space-y-0.5 pl-5">
            {scan.badRows.listed.map((row, i) => (
              <li key={i}>
                {row.line && !/line \d/i.test(row.reason)
                  ? `Line ${row.line}: ${row.reason}`
                  : row.index && !/(record|element) \d/i.test(row.reason)
                    ? `Record ${row.index}: ${row.reason}`
                    : row.reason}
              </li>
            ))}
          </ul>
          {scan.badRows.count > scan.badRows.listed.length && (
            <p>…and {formatCount(scan.badRows.count - scan.badRows.listed.length)} more.</p>
          )}
        </div>
      )}
      {ids && ids.duplicates.count > 0 && (
        <div className="rounded-md bg-amber-50 px-3 py-2 text-amber-900" data-testid="duplicate-ids">
          <p className="font-medium">
            Ids in <code>{ids.column}</code> that more than one row has — a synchronisation takes the first
            and marks the others invalid. Make them unique, or choose another id column:
          </p>
          <ul className="mt-1 list-disc space-y-0.5 pl-5">
            {ids.duplicates.listed.map((d) => (
              <li key={d.id}>
                <code>{d.id}</code>: {plural(d.count, 'row')} ({places} {d.rows.join(', ')}
                {d.count > d.rows.length ? ', …' : ''})
              </li>
            ))}
          </ul>
        </div>
      )}
      {ids && ids.missing.count > 0 && (
        <p className="rounded-md bg-amber-50 px-3 py-2 text-amber-900" data-testid="missing-ids">
          {plural(ids.missing.count, 'row')} {ids.missing.count === 1 ? 'has' : 'have'} no value in{' '}
          <code>{ids.column}</code> ({places} {ids.missing.rows.slice(0, 10).join(', ')}
          {ids.missing.count > 10 ? ', …' : ''}): a synchronisation cannot identify them. Fill them in, or
          choose another id column.
        </p>
      )}
    </div>
  );
}
