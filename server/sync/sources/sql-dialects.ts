// The SQL each dialect needs, built without any value in it: identifier quoting, what a synchronisation
// reads (a table or a read-only SELECT query, given as its endpoint), and the keyset page statement.
// Pure: the SQL source and the save-time check of a synchronisation share it.

export type SqlDialect = 'postgres' | 'mysql';

/** What a synchronisation reads: a table (schema-qualified or not), or a query whose rows are the objects. */
export type SqlRead =
  | { readonly kind: 'table'; readonly parts: readonly string[] }
  | { readonly kind: 'query'; readonly sql: string };

export type SqlReadParse = { ok: true; read: SqlRead } | { ok: false; reason: string };

const QUOTE: Record<SqlDialect, string> = { postgres: '"', mysql: '`' };
const BARE = /^[\p{L}_][\p{L}\p{N}_$]*$/u;
const QUERY_START = /^(select|with)\b/i;

/** Whether an SQL synchronisation's endpoint is a query (SELECT or WITH) rather than a table name. */
export const isSqlQuery = (endpoint: string): boolean => QUERY_START.test(endpoint.trim());

/** `name` quoted by the dialect's rules: `"na""me"` (PostgreSQL), `` `na``me` `` (MySQL). */
export function quoteIdentifier(dialect: SqlDialect, name: string): string {
  if (name.length === 0) throw new Error('An SQL identifier cannot be empty.');
  if (name.includes('\u0000')) throw new Error('An SQL identifier cannot contain a NUL character.');
  const q = QUOTE[dialect];
  return `${q}${name.split(q).join(q + q)}${q}`;
}

/**
 * The endpoint of an SQL synchronisation: a query starting with SELECT or WITH (one statement; a final
 * `;` is dropped), or a table name written as in SQL — `people`, `crm.people`, `"Mixed Case"` /
 * `` `Mixed Case` ``. Bare names are folded to lower case for PostgreSQL, as PostgreSQL itself does.
 */
export function parseSqlRead(dialect: SqlDialect, endpoint: string): SqlReadParse {
  const text = endpoint.trim();
  if (text === '')
    return { ok: false, reason: 'Give the table to read, or a query that starts with SELECT or WITH.' };
  if (QUERY_START.test(text)) {
    const sql = text.replace(/[\s;]+$/, '');
    if (sql.includes('\u0000')) return { ok: false, reason: 'The query contains a NUL character.' };
    return { ok: true, read: { kind: 'query', sql } };
  }
  const parts = splitTableName(dialect, text);
  if (!parts) {
    return {
      ok: false,
      reason:
        `"${text.slice(0, 80)}" is neither a table name (name or schema.name; quote unusual names ` +
        `like ${quoteIdentifier(dialect, 'My Table')}) nor a query starting with SELECT or WITH.`,
    };
  }
  return { ok: true, read: { kind: 'table', parts } };
}

/** `a.b`, `"a.b".c`, `` `a``b` ``: the unquoted parts, or null when the text is not a table name. */
function splitTableName(dialect: SqlDialect, text: string): string[] | null {
  const q = QUOTE[dialect];
  const parts: string[] = [];
  let i = 0;
  for (;;) {
    if (text[i] === q) {
      let name = '';
      let j = i + 1;
      for (;;) {
        if (j >= text.length) return null;
        if (text[j] === q) {
          if (text[j + 1] !== q) break;
          name += q;
          j += 2;
        } else {
          name += text[j];
          j += 1;
        }
      }
      if (name === '' || name.includes('\u0000')) return null;
      parts.push(name);
      i = j + 1;
    } else {
      const end = text.indexOf('.', i);
      const bare = text.slice(i, end === -1 ? text.length : end).trim();
      if (!BARE.test(bare)) return null;
      parts.push(dialect === 'postgres' ? bare.toLowerCase() : bare);
      i = end === -1 ? text.length : end;
    }
    if (i === text.length) break;
    if (text[i] !== '.') return null;
    i += 1;
  }
  return parts.length >= 1 && parts.length <= 3 ? parts : null;
}

/** Where the rows come from in a FROM clause: the quoted table, or the query as a derived table `q`. */
function fromClause(dialect: SqlDialect, read: SqlRead): string {
  if (read.kind === 'table') return read.parts.map((p) => quoteIdentifier(dialect, p)).join('.');
  return `(${read.sql}\n) q`;
}

/**
 * One keyset page: rows with a key after the cursor's (a parameter), in key order, `limit` at most.
 * `after` says whether the statement has that parameter (the first page has none). Rows whose key is
 * NULL cannot be paged past and have no position: they are never listed. An incremental read adds
 * `range`: the updated-at column between a lower and an upper bound, both inclusive and both
 * parameters after the key's, compared by the database in the column's own type.
 */
export function pageStatement(
  dialect: SqlDialect,
  read: SqlRead,
  keyColumn: string,
  options: {
    after: boolean;
    limit: number;
    range?: { column: string; lower: boolean; upper: boolean };
  },
): string {
  if (!Number.isSafeInteger(options.limit) || options.limit < 1)
    throw new Error(`The page size must be a positive whole number, not ${options.limit}.`);
  const key = quoteIdentifier(dialect, keyColumn);
  let n = 0;
  const param = () => (dialect === 'postgres' ? `$${++n}` : '?');
  const where = [options.after ? `${key} > ${param()}` : `${key} IS NOT NULL`];
  const range = options.range;
  if (range) {
    const column = quoteIdentifier(dialect, range.column);
    if (range.lower) where.push(`${column} >= ${param()}`);
    if (range.upper) where.push(`${column} <= ${param()}`);
  }
  return `SELECT * FROM ${fromClause(dialect, read)} WHERE ${where.join(' AND ')} ORDER BY ${key} LIMIT ${options.limit}`;
}

/**
 * How many rows a full listing (or an incremental one's window) will page through: the live progress's
 * total. The same conditions as the first page, so the count and the listing agree.
 */
export function countStatement(
  dialect: SqlDialect,
  read: SqlRead,
  keyColumn: string,
  range?: { column: string; lower: boolean; upper: boolean },
): string {
  let n = 0;
  const param = () => (dialect === 'postgres' ? `$${++n}` : '?');
  const where = [`${quoteIdentifier(dialect, keyColumn)} IS NOT NULL`];
  if (range) {
    const column = quoteIdentifier(dialect, range.column);
    if (range.lower) where.push(`${column} >= ${param()}`);
    if (range.upper) where.push(`${column} <= ${param()}`);
  }
  return `SELECT count(*) AS total FROM ${fromClause(dialect, read)} WHERE ${where.join(' AND ')}`;
}

/** The largest value of the updated-at column: the upper bound an incremental read freezes first. */
export function upperBoundStatement(dialect: SqlDialect, read: SqlRead, column: string): string {
  return `SELECT max(${quoteIdentifier(dialect, column)}) AS upper_bound FROM ${fromClause(dialect, read)}`;
}

/**
 * Rows whose `column` is one of `count` ids (parameters, in key order): a synchronisation limited to
 * selected ids reads only those. PostgreSQL converts each text parameter to the column's type.
 */
export function idsStatement(dialect: SqlDialect, read: SqlRead, column: string, count: number): string {
  if (!Number.isSafeInteger(count) || count < 1)
    throw new Error(`The number of ids must be a positive whole number, not ${count}.`);
  const key = quoteIdentifier(dialect, column);
  const params = Array.from({ length: count }, (_, i) => (dialect === 'postgres' ? `$${i + 1}` : '?'));
  return `SELECT * FROM ${fromClause(dialect, read)} WHERE ${key} IN (${params.join(', ')}) ORDER BY ${key}`;
}

/** Opens the read-only transaction each page runs in. */
export function beginReadOnly(dialect: SqlDialect): string {
  return dialect === 'postgres' ? 'BEGIN TRANSACTION READ ONLY' : 'START TRANSACTION READ ONLY';
}

/** How a person reads the source in messages: `postgres://db.example.com:5432/shop` (no user, no password). */
export function describeDatabase(config: {
  dialect: SqlDialect;
  host: string;
  port: number;
  database: string;
}): string {
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  return `${config.dialect}://${host}:${config.port}/${config.database}`;
}
