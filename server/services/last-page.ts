// How many rows a keyset list's Last page holds. Paging forward from the first page ends in a short
// page (total mod page size); Last shows that same page, so that Previous from it goes back through the
// very pages Next went through (the same rows, the same page numbers) and ends at the whole first
// page — a full last page put every page one shift off, and its first page shown again part of the page
// before it. Without an exact total (a search's beyond the count limit) the last page is a full one.
export function lastPageSize(total: { total: number; exact: boolean }, pageSize: number): number {
  if (!total.exact) return pageSize;
  return total.total % pageSize || pageSize;
}
