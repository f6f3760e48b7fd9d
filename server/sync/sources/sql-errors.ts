// Database and driver errors in words a person can act on: what went wrong, the server's own words,
// and what to check. Pure (reads `code`, `errno` and `message` of whatever was thrown).

interface Explained {
  readonly problem: string;
  readonly hint: string;
}

const CONNECT = 'check the host, the port and that the database server is running and reachable';
const SIGN_IN: Explained = {
  problem: 'the database refused the sign-in',
  hint: 'check the user and the password of the source',
};
const NO_DATABASE: Explained = {
  problem: 'the database does not exist',
  hint: 'check the database name of the source',
};
const NO_TABLE: Explained = {
  problem: 'a table in the synchronisation’s table or query does not exist',
  hint: 'check the table name (and its schema) in the synchronisation',
};
const NO_COLUMN: Explained = {
  problem: 'a column does not exist',
  hint: 'check the key column of the synchronisation and the columns its table or query returns',
};
const SYNTAX: Explained = {
  problem: 'the query is not valid SQL',
  hint: 'check the query of the synchronisation (one SELECT statement)',
};
const TIMEOUT: Explained = {
  problem: 'the query took longer than the statement timeout',
  hint: 'raise the timeout of the source, add an index on the key column or simplify the query',
};
const READ_ONLY: Explained = {
  problem: 'the query tried to change data',
  hint: 'a synchronisation only reads: use a plain SELECT',
};
const DENIED: Explained = {
  problem: 'the database user may not read this',
  hint: 'grant the user SELECT on the table, or use another user',
};
const REFUSED: Explained = { problem: 'the connection was refused', hint: CONNECT };
const UNREACHABLE: Explained = { problem: 'the database server could not be reached', hint: CONNECT };
const TLS: Explained = {
  problem: 'the TLS (SSL) connection failed',
  hint: 'the server needs a certificate valid for its host name; or turn SSL off if it does not offer it',
};

const BY_CODE: Readonly<Record<string, Explained>> = {
  // Sockets.
  ECONNREFUSED: REFUSED,
  ECONNRESET: { problem: 'the database server closed the connection', hint: CONNECT },
  EHOSTUNREACH: UNREACHABLE,
  ENETUNREACH: UNREACHABLE,
  ETIMEDOUT: UNREACHABLE,
  ENOTFOUND: { problem: 'the host name could not be resolved', hint: 'check the host of the source' },
  // TLS.
  DEPTH_ZERO_SELF_SIGNED_CERT: TLS,
  SELF_SIGNED_CERT_IN_CHAIN: TLS,
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: TLS,
  ERR_TLS_CERT_ALTNAME_INVALID: TLS,
  CERT_HAS_EXPIRED: TLS,
  HANDSHAKE_NO_SSL_SUPPORT: TLS,
  // PostgreSQL SQLSTATEs.
  '28P01': SIGN_IN,
  '28000': SIGN_IN,
  '3D000': NO_DATABASE,
  '3F000': {
    problem: 'the schema does not exist',
    hint: 'check the schema of the table in the synchronisation',
  },
  '42P01': NO_TABLE,
  '42703': NO_COLUMN,
  '42601': SYNTAX,
  '42501': DENIED,
  '57014': TIMEOUT,
  '25006': READ_ONLY,
  '53300': { problem: 'the database has too many connections', hint: 'try again later' },
  '57P03': { problem: 'the database is starting up or shutting down', hint: 'try again later' },
  // MySQL and MariaDB.
  ER_ACCESS_DENIED_ERROR: SIGN_IN,
  ER_NOT_SUPPORTED_AUTH_MODE: SIGN_IN,
  ER_BAD_DB_ERROR: NO_DATABASE,
  ER_DBACCESS_DENIED_ERROR: DENIED,
  ER_TABLEACCESS_DENIED_ERROR: DENIED,
  ER_NO_SUCH_TABLE: NO_TABLE,
  ER_BAD_FIELD_ERROR: NO_COLUMN,
  ER_PARSE_ERROR: SYNTAX,
  ER_QUERY_TIMEOUT: TIMEOUT,
  PROTOCOL_SEQUENCE_TIMEOUT: TIMEOUT,
  ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION: READ_ONLY,
  PROTOCOL_CONNECTION_LOST: { problem: 'the connection to the database was lost', hint: CONNECT },
};

// MariaDB's max_statement_time (1969) and MySQL's max_execution_time (3024) come without a code name.
const BY_ERRNO: Readonly<Record<number, Explained>> = { 1969: TIMEOUT, 3024: TIMEOUT };

const BY_MESSAGE: readonly (readonly [RegExp, Explained])[] = [
  [/connection timeout|timeout exceeded when trying to connect/i, UNREACHABLE],
  [/query read timeout/i, TIMEOUT],
  [/does not support SSL|establishing an SSL connection/i, TLS],
  [
    /Connection terminated unexpectedly/i,
    { problem: 'the connection to the database was lost', hint: CONNECT },
  ],
];

/** `the database refused the sign-in (password authentication failed for user "x"); check …`. */
export function describeSqlError(error: unknown): string {
  const { code, errno, message } = parts(error);
  const known =
    (code ? BY_CODE[code] : undefined) ??
    (errno !== undefined ? BY_ERRNO[errno] : undefined) ??
    BY_MESSAGE.find(([pattern]) => pattern.test(message))?.[1];
  const detail = message || code || 'no details';
  if (!known) return `the database answered with an error (${detail})`;
  return `${known.problem} (${detail}); ${known.hint}`;
}

function parts(error: unknown): { code?: string; errno?: number; message: string } {
  if (!error || typeof error !== 'object') return { message: oneLine(String(error)) };
  const e = error as { code?: unknown; errno?: unknown; message?: unknown; errors?: unknown };
  // A connection tried on several addresses fails with an AggregateError and an empty message.
  if (!e.message && Array.isArray(e.errors) && e.errors.length > 0) return parts(e.errors[0]);
  return {
    code: typeof e.code === 'string' ? e.code : undefined,
    errno: typeof e.errno === 'number' ? e.errno : undefined,
    message: oneLine(typeof e.message === 'string' ? e.message : ''),
  };
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 300 ? `${line.slice(0, 297)}…` : line;
}
