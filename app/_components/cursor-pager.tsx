'use client';
// The pager of a list paged by the server's cursors (contracts, a register's objects): First, Previous,
// Next and Last (keyset paging, so a page far into a million rows opens as fast as the first). The page
// number is kept beside the cursor only to say where one is; the total is exact, a search's beyond
// 10,000 is "more than".
import { Button } from '@/app/_components/ui';
import { formatCount } from '@/app/_lib/format';

interface PageData {
  total: number;
  totalExact: boolean;
  pageSize: number;
  next: string | null;
  previous: string | null;
  last: string | null;
}

export function CursorPager({
  page,
  data,
  onPage,
}: {
  page: number;
  data: PageData;
  onPage: (cursor: string, page: number) => void;
}) {
  const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
  // The server answers the first page when a cursor leads back past it, and the last has no next.
  const shown = !data.previous ? 1 : !data.next && data.totalExact ? pages : Math.min(page, pages);
  return (
    <div className="flex flex-wrap items-center justify-between gap-2 py-2 text-sm text-slate-600">
      <span>
        {data.totalExact
          ? `${formatCount(data.total)} in total · page ${shown} of ${pages}`
          : `More than ${formatCount(data.total)} match · page ${shown}`}
      </span>
      <span className="flex gap-2">
        <Button variant="secondary" disabled={!data.previous} onClick={() => onPage('', 1)}>
          First
        </Button>
        <Button
          variant="secondary"
          disabled={!data.previous}
          onClick={() => data.previous && onPage(data.previous, Math.max(1, shown - 1))}
        >
          Previous
        </Button>
        <Button
          variant="secondary"
          disabled={!data.next}
          onClick={() => data.next && onPage(data.next, shown + 1)}
        >
          Next
        </Button>
        <Button
          variant="secondary"
          disabled={!data.last || !data.totalExact}
          onClick={() => data.last && onPage(data.last, pages)}
        >
          Last
        </Button>
      </span>
    </div>
  );
}
