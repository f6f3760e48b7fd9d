// A database of its own on the real PostgreSQL or MariaDB server (prefix `discover_`), so discovery sees
// exactly the tables a test made and no other test's: a shop of customers, orders, order lines (a key of
// two columns) and a view. Made afresh on each call (earlier tables dropped).
import mysql from 'mysql2/promise';
import pg from 'pg';
import type { Dialect } from './sql-peers';

export interface ShopDatabase {
  readonly dialect: Dialect;
  /** An SQL source's settings (no password) reaching this database. */
  readonly config: { dialect: Dialect; host: string; port: number; database: string; user: string };
  exec(sql: string): Promise<void>;
  close(): Promise<void>;
}

export const CUSTOMERS = 3;
export const ORDERS = 4;

export async function shopDatabase(dialect: Dialect, name: string): Promise<ShopDatabase> {
  if (!name.startsWith('discover_')) throw new Error('discover test databases start with discover_');
  const db = dialect === 'postgres' ? await postgresDatabase(name) : await mysqlDatabase(name);
  const timestamp = dialect === 'postgres' ? 'timestamptz' : 'timestamp(6) NULL';
  const text = dialect === 'postgres' ? 'text' : 'varchar(200)';
  for (const table of ['discover_customer_names']) await db.exec(`DROP VIEW IF EXISTS ${table}`);
  for (const table of ['discover_order_lines', 'discover_orders', 'discover_customers'])
    await db.exec(`DROP TABLE IF EXISTS ${table}`);
  await db.exec(
    `CREATE TABLE discover_customers (id integer PRIMARY KEY, name ${text} NOT NULL, email ${text},
       balance numeric(10,2), joined ${timestamp}, vip boolean)`,
  );
  await db.exec(
    `CREATE TABLE discover_orders (order_no varchar(20) PRIMARY KEY, customer_id integer NOT NULL,
       total numeric(10,2) NOT NULL, placed date)`,
  );
  await db.exec(
    `CREATE TABLE discover_order_lines (order_no varchar(20) NOT NULL, line integer NOT NULL,
       sku ${text}, PRIMARY KEY (order_no, line))`,
  );
  await db.exec('CREATE VIEW discover_customer_names AS SELECT id, name FROM discover_customers');
  await db.exec(
    `INSERT INTO discover_customers (id, name, email, balance, joined, vip) VALUES
       (1, 'Ada', 'ada@example.test', 12.50, '2024-05-01 10:00:00', true),
       (2, 'Bea', NULL, NULL, NULL, false),
       (3, 'Cas', 'cas@example.test', 0.00, '2024-06-02 08:30:00.25', NULL)`,
  );
  await db.exec(
    `INSERT INTO discover_orders (order_no, customer_id, total, placed) VALUES
       ('A-1', 1, 10.00, '2024-05-02'), ('A-2', 1, 20.50, NULL), ('B-1', 2, 5.25, '2024-05-03'),
       ('C-1', 3, 99.99, '2024-06-03')`,
  );
  return db;
}

async function postgresDatabase(name: string): Promise<ShopDatabase> {
  let admin: pg.Client | null = null;
  let user = '';
  for (const candidate of ['postgres', 'root']) {
    const attempt = new pg.Client({ host: '127.0.0.1', port: 5432, database: 'test', user: candidate });
    try {
      await attempt.connect();
      admin = attempt;
      user = candidate;
      break;
    } catch {
      await attempt.end().catch(() => undefined);
    }
  }
  if (!admin) throw new Error('PostgreSQL on 127.0.0.1:5432 (database test, trust) is needed');
  const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (exists.rowCount === 0) await admin.query(`CREATE DATABASE "${name}"`).catch(() => undefined);
  await admin.end();
  const client = new pg.Client({ host: '127.0.0.1', port: 5432, database: name, user });
  await client.connect();
  return {
    dialect: 'postgres',
    config: { dialect: 'postgres', host: '127.0.0.1', port: 5432, database: name, user },
    exec: async (sql) => {
      await client.query(sql);
    },
    close: () => client.end(),
  };
}

async function mysqlDatabase(name: string): Promise<ShopDatabase> {
  const connection = await mysql.createConnection({
    host: '127.0.0.1',
    port: 3306,
    user: 'root',
    password: '',
  });
  await connection.query(`CREATE DATABASE IF NOT EXISTS \`${name}\``);
  await connection.query(`USE \`${name}\``);
  return {
    dialect: 'mysql',
    config: { dialect: 'mysql', host: '127.0.0.1', port: 3306, database: name, user: 'root' },
    exec: async (sql) => {
      await connection.query(sql);
    },
    close: () => connection.end(),
  };
}
