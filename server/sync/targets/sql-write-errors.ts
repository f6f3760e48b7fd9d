// What a failed write statement means for the objects in it. Pure (reads `code` and `errno`).
// - `row`: one row's values were refused (a constraint, a value of the wrong type or too long). Other
//   rows of the statement may be fine, so the statement is retried row by row to find the culprit, and
//   its object is refused for good (not sent again until it changes).
// - `transient`: the same write may succeed later (a deadlock, a serialization failure, a timeout, the
//   server busy): its objects are tried again next run.
// - `fatal`: nothing in this batch can be written (the connection is gone, the table or a column does
//   not exist, no permission): the batch throws, the run ends in error and nothing is lost.
import { describeSqlError } from '../sources/sql-errors';

export type WriteErrorClass = 'row' | 'transient' | 'fatal';

// SQLSTATE classes 22 (data exception) and 23 (integrity constraint violation) are about the values.
const PG_ROW_CLASSES = new Set(['22', '23']);
const PG_TRANSIENT = new Set(['40001', '40P01', '55P03', '57014', '53000', '53100', '53200', '53300']);
// Connection exceptions (08), shutdowns (57P0x) and a cancelled transaction are outages.
const PG_FATAL_CLASSES = new Set(['08', '28', '3D', '3F', '42', '57', '25']);

// MySQL/MariaDB error numbers about one row's values.
const MYSQL_ROW = new Set([
  1048, // ER_BAD_NULL_ERROR
  1062, // ER_DUP_ENTRY (another unique key)
  1264, // ER_WARN_DATA_OUT_OF_RANGE
  1292, // ER_TRUNCATED_WRONG_VALUE
  1364, // ER_NO_DEFAULT_FOR_FIELD
  1366, // ER_TRUNCATED_WRONG_VALUE_FOR_FIELD
  1406, // ER_DATA_TOO_LONG
  1451, // ER_ROW_IS_REFERENCED_2
  1452, // ER_NO_REFERENCED_ROW_2
  1265, // WARN_DATA_TRUNCATED
  3140, // ER_INVALID_JSON_TEXT (MySQL)
  3819, // ER_CHECK_CONSTRAINT_VIOLATED (MySQL)
  4025, // ER_CONSTRAINT_FAILED (MariaDB CHECK, also its JSON check)
  4078, // ER_ILLEGAL_PARAMETER_DATA_TYPE_FOR_OPERATION (MariaDB)
]);
const MYSQL_TRANSIENT = new Set([1205, 1213, 1969, 3024, 1040, 1203, 1317]);

export function classifyWriteError(error: unknown): WriteErrorClass {
  if (!error || typeof error !== 'object') return 'fatal';
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  if (typeof errno === 'number' && errno > 0) {
    if (MYSQL_ROW.has(errno)) return 'row';
    if (MYSQL_TRANSIENT.has(errno)) return 'transient';
    return 'fatal';
  }
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
    if (PG_TRANSIENT.has(code)) return 'transient';
    if (PG_ROW_CLASSES.has(code.slice(0, 2))) return 'row';
    if (PG_FATAL_CLASSES.has(code.slice(0, 2))) return 'fatal';
    return 'fatal';
  }
  // Socket errors and driver timeouts have no SQLSTATE or errno: the connection is not usable.
  return 'fatal';
}

/** The database's own words for a refused row: `null value in column "name" … violates not-null constraint`. */
export function rowErrorReason(error: unknown): string {
  const e = (error ?? {}) as { message?: unknown; detail?: unknown; code?: unknown };
  const message = typeof e.message === 'string' ? e.message : String(error);
  const detail = typeof e.detail === 'string' && e.detail ? ` (${e.detail})` : '';
  const text = `the table refused the row: ${message}${detail}`.replace(/\s+/g, ' ').trim();
  return text.length > 500 ? `${text.slice(0, 497)}…` : text;
}

// Refused privileges: PostgreSQL's insufficient_privilege, MySQL's table, column and command denials.
const DENIED_CODES = new Set([
  '42501',
  'ER_TABLEACCESS_DENIED_ERROR',
  'ER_COLUMNACCESS_DENIED_ERROR',
  'ER_DBACCESS_DENIED_ERROR',
]);

/**
 * A failure of the whole batch in words: as the SQL source says it, except that a refused privilege is
 * about writing here (the source's words would ask for SELECT).
 */
export function describeWriteError(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string' && DENIED_CODES.has(code)) {
    const detail = typeof message === 'string' && message ? message.replace(/\s+/g, ' ').trim() : code;
    return (
      `the database user may not write to the table (${detail}); grant it SELECT, INSERT, UPDATE and ` +
      'DELETE on the table, or give the target source another user'
    );
  }
  return describeSqlError(error);
}
