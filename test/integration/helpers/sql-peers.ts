// The real database servers the SQL source tests read: PostgreSQL on 127.0.0.1:5432 and MariaDB/MySQL on
// 127.0.0.1:3306 (database `test`, trust / empty-password root). Each test makes its own uniquely named
// tables and drops them afterwards. A server that is not running fails the tests: nothing is skipped.
import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';

export type Dialect = 'postgres' | 'mysql';

export interface SqlPeer {
  readonly dialect: Dialect;
  readonly label: string;
  /** The source config for Concord (without a password). */
  readonly config: { dialect: Dialect; host: string; port: number; database: string; user: string };
  /** Runs administrative SQL (`?` placeholders for MySQL, `$1` for PostgreSQL). */
  exec(sql: string, params?: unknown[]): Promise<void>;
  /** Rows of a query (placeholders as for `exec`). */
  query(sql: string, params?: unknown[]): Promise<Record<string, unknown>[]>;
  /** A fresh table name, dropped by `dropAll`. */
  table(prefix?: string): string;
  /**
   * A user that may only read the test database, signing in with `password`. PostgreSQL trusts every
   * local connection here (no password is checked), so there it is the admin role.
   */
  reader(password: string): Promise<string>;
  /** A column type in this dialect. */
  readonly types: Record<'text' | 'timestamp' | 'instant' | 'json' | 'bytes', string>;
  dropAll(): Promise<void>;
  close(): Promise<void>;
}

const unique = (prefix: string) => `${prefix}_${randomBytes(5).toString('hex')}`;

export async function postgresPeer(): Promise<SqlPeer> {
  // Trust authentication: the first of these roles that exists is used.
  let client: pg.Client | null = null;
  let user = '';
  const failures: string[] = [];
  for (const candidate of ['postgres', 'root']) {
    const attempt = new pg.Client({ host: '127.0.0.1', port: 5432, database: 'test', user: candidate });
    try {
      await attempt.connect();
      client = attempt;
      user = candidate;
      break;
    } catch (error) {
      failures.push(`${candidate}: ${(error as Error).message}`);
      await attempt.end().catch(() => undefined);
    }
  }
  if (!client)
    throw new Error(`PostgreSQL on 127.0.0.1:5432 (database test) is needed: ${failures.join('; ')}`);
  const connected = client;
  const tables: string[] = [];
  return {
    dialect: 'postgres',
    label: 'PostgreSQL',
    config: { dialect: 'postgres', host: '127.0.0.1', port: 5432, database: 'test', user },
    exec: async (sql, params) => {
      await connected.query(sql, params);
    },
    query: async (sql, params) => (await connected.query<Record<string, unknown>>(sql, params)).rows,
    table: (prefix = 'concord_t') => {
      const name = unique(prefix);
      tables.push(name);
      return name;
    },
    reader: () => Promise.resolve(user),
    types: { text: 'text', timestamp: 'timestamp(6)', instant: 'timestamptz', json: 'jsonb', bytes: 'bytea' },
    dropAll: async () => {
      for (const name of tables.splice(0)) await connected.query(`DROP TABLE IF EXISTS "${name}"`);
    },
    close: () => connected.end(),
  };
}

export async function mysqlPeer(): Promise<SqlPeer> {
  const connection = await mysql
    .createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '', database: 'test' })
    .catch((error: Error) => {
      throw new Error(`MariaDB/MySQL on 127.0.0.1:3306 (root, database test) is needed: ${error.message}`);
    });
  const tables: string[] = [];
  const users: string[] = [];
  return {
    dialect: 'mysql',
    label: 'MariaDB',
    config: { dialect: 'mysql', host: '127.0.0.1', port: 3306, database: 'test', user: 'root' },
    exec: async (sql, params) => {
      await connection.query(sql, params);
    },
    query: async (sql, params) => {
      const [rows] = await connection.query(sql, params);
      return rows as Record<string, unknown>[];
    },
    table: (prefix = 'concord_t') => {
      const name = unique(prefix);
      tables.push(name);
      return name;
    },
    reader: async (password) => {
      const user = unique('concord_r');
      users.push(user);
      for (const host of ['127.0.0.1', 'localhost']) {
        await connection.query('CREATE USER ?@? IDENTIFIED BY ?', [user, host, password]);
        await connection.query('GRANT SELECT ON test.* TO ?@?', [user, host]);
      }
      return user;
    },
    types: {
      text: 'varchar(200)',
      timestamp: 'datetime(6)',
      instant: 'timestamp(6) NULL',
      json: 'json',
      bytes: 'blob',
    },
    dropAll: async () => {
      for (const name of tables.splice(0)) await connection.query(`DROP TABLE IF EXISTS \`${name}\``);
      for (const user of users.splice(0)) {
        for (const host of ['127.0.0.1', 'localhost'])
          await connection.query('DROP USER IF EXISTS ?@?', [user, host]);
      }
    },
    close: () => connection.end(),
  };
}

export const SQL_PEERS: readonly { dialect: Dialect; open: () => Promise<SqlPeer> }[] = [
  { dialect: 'postgres', open: postgresPeer },
  { dialect: 'mysql', open: mysqlPeer },
];

/** `"name"` or `` `name` ``: the tests' own identifiers, generated, never user input. */
export function q(peer: SqlPeer, name: string): string {
  return peer.dialect === 'postgres' ? `"${name}"` : `\`${name}\``;
}

/** A table of people (id, name, email, city) with `count` rows. */
export async function createPeople(peer: SqlPeer, count: number): Promise<string> {
  const table = peer.table('concord_people');
  await peer.exec(
    `CREATE TABLE ${q(peer, table)} (id integer PRIMARY KEY, name ${peer.types.text} NOT NULL, email ${peer.types.text}, city ${peer.types.text})`,
  );
  await insertPeople(peer, table, 1, count);
  return table;
}

export async function insertPeople(peer: SqlPeer, table: string, from: number, count: number) {
  const rows = Array.from({ length: count }, (_, i) => from + i);
  const placeholders = rows
    .map((_, i) =>
      peer.dialect === 'postgres'
        ? `($${i * 4 + 1}, $${i * 4 + 2}, $${i * 4 + 3}, $${i * 4 + 4})`
        : '(?, ?, ?, ?)',
    )
    .join(', ');
  const params = rows.flatMap((n) => [
    n,
    `Person ${n}`,
    `person${n}@example.test`,
    n % 2 ? 'Utrecht' : 'Leiden',
  ]);
  await peer.exec(`INSERT INTO ${q(peer, table)} (id, name, email, city) VALUES ${placeholders}`, params);
}

/** A placeholder for parameter `n` (1-based) in this dialect. */
export const p = (peer: SqlPeer, n: number) => (peer.dialect === 'postgres' ? `$${n}` : '?');
