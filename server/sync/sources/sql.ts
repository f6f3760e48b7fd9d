// An SQL source: a PostgreSQL or MySQL/MariaDB table or SELECT query, keyset-paged on a key column —
// `SELECT * FROM <table or (query) q> WHERE key > $1 ORDER BY key LIMIT n` — over one connection per
// run, each page in a read-only transaction with a statement timeout. The cursor is the last key and
// the next page number, plain JSON. Any error ends the listing incomplete with its reason (so the run
// deletes nothing); the listing is complete only when a page comes back short. An incremental read
// (`cursorColumn`) first freezes `SELECT max(column)`, then pages with the column between its bounds.
import type { SqlSourceConfig } from '../config/source-config';
import type { CursorValue } from '../core/incremental/values';
import type { ReadWindow } from '../core/incremental/window';
import type { ListingOutcome } from '../core/pagination/types';
import type { ResolveHost, UrlPolicy } from '../http/guard';
import { Redactor } from '../http/redact';
import type { SourcePage, SourcePort, UpperBound } from '../ports';
import { connectSql, SqlRefusedError, type SqlConnection, type SqlResult } from './sql-connect';
import {
  countStatement,
  describeDatabase,
  idsStatement,
  pageStatement,
  parseSqlRead,
  upperBoundStatement,
  type SqlRead,
} from './sql-dialects';
import { idBatchSource, type IdCursor } from './selected-ids';
import { describeSqlError } from './sql-errors';
import {
  boundParam,
  isSqlCursor,
  keyOf,
  keyParam,
  rowToObject,
  sameKey,
  showKey,
  type SqlColumn,
  type SqlCursor,
} from './sql-values';

export const DEFAULT_SQL_PAGE_SIZE = 1000;

export interface SqlSourceOptions {
  /** The source id. */
  systemId: string;
  /** The source's name, for messages. */
  name: string;
  source: SqlSourceConfig;
  secrets: Record<string, string>;
  /** The synchronisation's endpoint: a table name, or a query starting with SELECT or WITH. */
  endpoint: string;
  /** The column to page on: unique and never NULL (the primary key). */
  keyColumn: string;
  pageSize?: number;
  /** The page cap: a listing with more pages ends incomplete (a warning, and no deletions). */
  maxPages: number;
  /** Incremental synchronisations: the updated-at column the read window applies to. */
  cursorColumn?: string;
  urlPolicy: UrlPolicy;
  /** Test seam: any DNS answer. */
  resolve?: ResolveHost;
}

export interface SqlIdSourceOptions extends SqlSourceOptions {
  /**
   * Selected ids: read only the rows whose `column` holds one of them, `WHERE column IN (…)` with the
   * ids bound, a page of ids at a time (selected-ids.ts). The listing is then complete when every
   * batch was read; an id without a row is simply absent.
   */
  byIds: { readonly ids: readonly string[]; readonly column: string };
}

export type SqlSource = SourcePort<SqlCursor> & { close(): Promise<void>; upperBound(): Promise<UpperBound> };
/** Reading selected ids (`byIds`): pages of ids instead of keyset pages. */
export type SqlIdSource = SourcePort<IdCursor> & { close(): Promise<void> };

/** Ids per statement when reading selected ids (well below every driver's parameter limit). */
const MAX_IDS_PER_STATEMENT = 1000;

export function createSqlSource(o: SqlIdSourceOptions): SqlIdSource;
export function createSqlSource(o: SqlSourceOptions): SqlSource;
export function createSqlSource(o: SqlSourceOptions & Partial<SqlIdSourceOptions>): SqlSource | SqlIdSource {
  const dialect = o.source.dialect;
  const pageSize = Math.max(1, Math.floor(o.pageSize ?? DEFAULT_SQL_PAGE_SIZE));
  const url = describeDatabase(o.source);
  const label = `SQL source "${o.name}" (${url})`;
  const read = parseSqlRead(dialect, o.endpoint);
  const redactor = new Redactor();
  redactor.add(o.secrets['password']);
  let connection: Promise<SqlConnection> | null = null;

  const described = (message: string) => redactor.text(`${label}: ${message}`);
  const failed = (page: number, message: string): ListingOutcome => ({
    complete: false,
    pages: page - 1,
    problem: { kind: 'transport', page, url, message: described(message) },
  });

  function open(): Promise<SqlConnection> {
    connection ??= connectSql({
      config: o.source,
      password: o.secrets['password'],
      urlPolicy: o.urlPolicy,
      resolve: o.resolve,
    });
    return connection;
  }

  // Also after a failure: a broken connection is not used again, the next listing connects afresh.
  async function discard(): Promise<void> {
    const current = connection;
    connection = null;
    await current?.then((c) => c.close()).catch(() => undefined);
  }

  // A full reconciliation reads every row, also those whose column is NULL; an incremental one only
  // the rows between its bounds.
  function windowOf(window: ReadWindow | undefined) {
    const bounds: CursorValue[] = [];
    if (window?.kind === 'incremental' && o.cursorColumn) {
      bounds.push(window.lower);
      if (window.upper !== null) bounds.push(window.upper);
    }
    const range =
      bounds.length > 0 && o.cursorColumn
        ? { column: o.cursorColumn, lower: true, upper: bounds.length > 1 }
        : undefined;
    return { bounds, range };
  }

  /** The rows the listing will read (count(*)), for the progress; unknown when the count fails. */
  async function countRows(window: ReadWindow | undefined): Promise<number | undefined> {
    const { bounds, range } = windowOf(window);
    const result = await query((r) => ({
      statement: countStatement(dialect, r, o.keyColumn, range),
      params: bounds.map((bound) => boundParam(dialect, bound)),
    }));
    if ('problem' in result) return undefined;
    const total = Number(result.rows[0]?.['total']);
    return Number.isSafeInteger(total) && total >= 0 ? total : undefined;
  }

  async function fetch(
    after: SqlCursor['after'],
    window: ReadWindow | undefined,
  ): Promise<SqlResult | { problem: string }> {
    const { bounds, range } = windowOf(window);
    // One row more than a page tells whether another page follows, and whether the key is tied there.
    return query((r) => ({
      statement: pageStatement(dialect, r, o.keyColumn, {
        after: after !== null,
        limit: pageSize + 1,
        range,
      }),
      params: [
        ...(after === null ? [] : [keyParam(after)]),
        ...bounds.map((bound) => boundParam(dialect, bound)),
      ],
    }));
  }

  async function upperBound(): Promise<UpperBound> {
    if (!read.ok) return { ok: false, problem: `the table or query is not usable: ${read.reason}` };
    if (!o.cursorColumn) return { ok: true, value: null };
    try {
      const db = await open();
      const result = await db.read(upperBoundStatement(dialect, read.read, o.cursorColumn), []);
      const value = result.rows[0]?.['upper_bound'];
      if (value === null || value === undefined) return { ok: true, value: null };
      const key = keyOf(value);
      if (key === null || typeof key === 'object') {
        return {
          ok: false,
          problem: redactor.text(
            `${label}: the column "${o.cursorColumn}" holds values that cannot be a cursor; choose a column of dates, times or numbers.`,
          ),
        };
      }
      return { ok: true, value: key };
    } catch (error) {
      await discard();
      const reason =
        error instanceof SqlRefusedError
          ? `the connection was refused: ${error.message}`
          : describeSqlError(error);
      return { ok: false, problem: redactor.text(`${label}: ${reason}`) };
    }
  }

  async function query(
    build: (read: SqlRead) => { statement: string; params: unknown[] },
  ): Promise<SqlResult | { problem: string }> {
    if (!read.ok) return { problem: `the synchronisation's table or query is not usable: ${read.reason}` };
    try {
      const db = await open();
      const { statement, params } = build(read.read);
      return await db.read(statement, params);
    } catch (error) {
      await discard();
      if (error instanceof SqlRefusedError)
        return { problem: `the connection was refused: ${error.message}` };
      return { problem: describeSqlError(error) };
    }
  }

  async function* pages(
    from: SqlCursor | null,
    window?: ReadWindow,
  ): AsyncGenerator<SourcePage<SqlCursor>, ListingOutcome, void> {
    if (from !== null && !isSqlCursor(from))
      return failed(1, 'the run holds a position that is not an SQL cursor; start a new run.');
    let after = from?.after ?? null;
    let page = from?.page ?? 1;
    // Counted once, before the first page; the run keeps it (runs.expected_total) for later pages.
    let total = from === null ? await countRows(window) : undefined;
    for (;;) {
      const result = await fetch(after, window);
      if ('problem' in result) return failed(page, result.problem);
      const shape = shapeProblem(result.columns, o.keyColumn);
      if (shape) return failed(page, shape);
      const listed = result.rows.slice(0, pageSize);
      // The total rides on the first page this listing yields only.
      const counted = () => {
        const once = total === undefined ? {} : { total };
        total = undefined;
        return once;
      };
      const objects = listed.map((row) => rowToObject(row, result.columns));
      if (result.rows.length <= pageSize) {
        const outcome: ListingOutcome = { complete: true, pages: page };
        yield { number: page, url, objects, then: { kind: 'end', outcome }, ...counted() };
        return outcome;
      }
      const last = keyOf(listed[listed.length - 1]?.[o.keyColumn]);
      if (last === null) {
        return failed(
          page,
          `the key column "${o.keyColumn}" holds values that cannot be paged on; choose a column of numbers, text, dates or bytes.`,
        );
      }
      const next = keyOf(result.rows[pageSize]?.[o.keyColumn]);
      if (next !== null && sameKey(dialect, last, next)) {
        return failed(
          page,
          `the key column "${o.keyColumn}" is not unique: more than one row has the key ${showKey(last)}, ` +
            'so paging would skip rows; choose a unique key column (the primary key).',
        );
      }
      if (page >= o.maxPages) {
        const outcome: ListingOutcome = {
          complete: false,
          pages: page,
          problem: { kind: 'page-cap', page, maxPages: o.maxPages },
        };
        yield { number: page, url, objects, then: { kind: 'end', outcome }, ...counted() };
        return outcome;
      }
      const cursor: SqlCursor = { after: last, page: page + 1 };
      yield { number: page, url, objects, then: { kind: 'next', cursor }, ...counted() };
      after = last;
      page += 1;
    }
  }

  if (o.byIds) {
    const { ids, column } = o.byIds;
    const byIds = idBatchSource({
      systemId: o.systemId,
      ids,
      batchSize: Math.min(pageSize, MAX_IDS_PER_STATEMENT),
      idField: column,
      label: url,
      fetchBatch: async (batch) => {
        const result = await query((r) => ({
          statement: idsStatement(dialect, r, column, batch.length),
          params: [...batch],
        }));
        if ('problem' in result) return { ok: false, message: described(result.problem) };
        const shape = shapeProblem(result.columns, column);
        if (shape) return { ok: false, message: described(shape) };
        return { ok: true, objects: result.rows.map((row) => rowToObject(row, result.columns)) };
      },
    });
    return { ...byIds, close: discard };
  }
  return { systemId: o.systemId, pages, upperBound, close: discard };
}

/** Columns that would make objects lose data: two with the same name, or no key column among them. */
function shapeProblem(columns: readonly SqlColumn[], keyColumn: string): string | null {
  const seen = new Set<string>();
  for (const { name } of columns) {
    if (seen.has(name))
      return `the table or query returns more than one column named "${name}"; give them distinct names (AS).`;
    seen.add(name);
  }
  if (!seen.has(keyColumn))
    return `the key column "${keyColumn}" is not among the columns returned (${[...seen].slice(0, 10).join(', ')}).`;
  return null;
}
