// The SQL source adapter against the real servers: column values as JSON (big integers and decimals as
// text, dates and times as ISO 8601 with their microseconds and without the process's time zone, JSON
// as objects, bytes as base64), resuming from a cursor as a durable step does, keyset paging on a
// timestamp key whose values differ by microseconds, and the address policy before any connection.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SourcePage } from '@/server/sync/ports';
import { createSqlSource, type SqlSourceOptions } from '@/server/sync/sources/sql';
import type { SqlCursor } from '@/server/sync/sources/sql-values';
import { p, q, SQL_PEERS, type SqlPeer } from '../helpers/sql-peers';

async function listAll(options: SqlSourceOptions) {
  const source = createSqlSource(options);
  const pages: SourcePage<SqlCursor>[] = [];
  try {
    const listing = source.pages(null);
    for (;;) {
      const next = await listing.next();
      if (next.done) return { pages, outcome: next.value };
      pages.push(next.value);
    }
  } finally {
    await source.close();
  }
}

describe.each(SQL_PEERS)('the SQL source adapter ($dialect)', ({ open }) => {
  let peer: SqlPeer;
  const zone = process.env.TZ;
  const options = (endpoint: string, more: Partial<SqlSourceOptions> = {}): SqlSourceOptions => ({
    systemId: 'src_test',
    name: 'Values',
    source: { ...peer.config, ssl: false, timeoutMs: 10_000 },
    secrets: {},
    endpoint,
    keyColumn: 'id',
    maxPages: 100,
    urlPolicy: { allowPrivateNetworks: true },
    ...more,
  });

  beforeAll(async () => {
    peer = await open();
    // A process far from UTC: a driver that made Date objects of zone-less times would shift them.
    process.env.TZ = 'America/New_York';
  });
  afterAll(async () => {
    process.env.TZ = zone;
    await peer?.dropAll();
    await peer?.close();
  });

  it('turns every column into JSON without losing precision', async () => {
    const t = peer.types;
    const table = peer.table('concord_values');
    const flag = peer.dialect === 'postgres' ? 'boolean' : 'tinyint(1)';
    const amount = peer.dialect === 'postgres' ? 'numeric(20,6)' : 'decimal(20,6)';
    const ratio = peer.dialect === 'postgres' ? 'double precision' : 'double';
    await peer.exec(
      `CREATE TABLE ${q(peer, table)} (id integer PRIMARY KEY, big bigint, amount ${amount}, ratio ${ratio},
        born date, seen ${t.timestamp}, at_utc ${t.instant}, doc ${t.json}, photo ${t.bytes}, flag ${flag},
        nothing ${t.text})`,
    );
    if (peer.dialect === 'mysql') await peer.exec("SET time_zone = '+00:00'");
    const n = (i: number) => p(peer, i);
    await peer.exec(
      `INSERT INTO ${q(peer, table)} VALUES (1, ${n(1)}, ${n(2)}, 0.5, '2024-02-29', '2024-03-31 01:30:00.123456',
        '2024-03-31 01:30:00.654321${peer.dialect === 'postgres' ? '+00' : ''}', ${n(3)}, ${n(4)}, ${n(5)}, NULL)`,
      [
        '9007199254740993',
        '12345678901234.123456',
        '{"a":[1,2],"b":{"c":"x"}}',
        Buffer.from([0, 1, 2, 255]),
        true,
      ],
    );
    const { pages, outcome } = await listAll(options(table));
    expect(outcome).toEqual({ complete: true, pages: 1 });
    expect(pages[0]?.objects).toEqual([
      {
        id: 1,
        big: '9007199254740993',
        amount: '12345678901234.123456',
        ratio: 0.5,
        born: '2024-02-29',
        seen: '2024-03-31T01:30:00.123456',
        at_utc: '2024-03-31T01:30:00.654321Z',
        doc: { a: [1, 2], b: { c: 'x' } },
        photo: 'AAEC/w==',
        flag: peer.dialect === 'postgres' ? true : 1,
        nothing: null,
      },
    ]);
  });

  it('pages on a timestamp key whose values differ by microseconds, and resumes from a cursor', async () => {
    const table = peer.table('concord_times');
    await peer.exec(`CREATE TABLE ${q(peer, table)} (at_utc ${peer.types.instant} NOT NULL PRIMARY KEY)`);
    if (peer.dialect === 'mysql') await peer.exec("SET time_zone = '+00:00'");
    for (let i = 1; i <= 5; i++)
      await peer.exec(`INSERT INTO ${q(peer, table)} VALUES ('2024-01-01 00:00:00.00000${i}')`);
    const config = options(table, { keyColumn: 'at_utc', pageSize: 2 });
    const { pages, outcome } = await listAll(config);
    expect(outcome).toEqual({ complete: true, pages: 3 });
    expect(pages.map((page) => page.objects.length)).toEqual([2, 2, 1]);
    expect(pages.flatMap((page) => page.objects.map((o) => (o as { at_utc: string }).at_utc))).toEqual(
      [1, 2, 3, 4, 5].map((i) => `2024-01-01T00:00:00.00000${i}Z`),
    );

    // A durable step returns the cursor; the next step starts a new listing from it.
    const first = pages[0]!;
    if (first.then.kind !== 'next') throw new Error('expected a next page');
    const cursor = JSON.parse(JSON.stringify(first.then.cursor)) as SqlCursor;
    expect(cursor.page).toBe(2);
    const source = createSqlSource(config);
    try {
      const resumed = await source.pages(cursor).next();
      expect(resumed.done).toBe(false);
      const page = resumed.value as SourcePage<SqlCursor>;
      expect(page.number).toBe(2);
      expect(page.objects).toEqual([
        { at_utc: '2024-01-01T00:00:00.000003Z' },
        { at_utc: '2024-01-01T00:00:00.000004Z' },
      ]);
    } finally {
      await source.close();
    }
  });

  it('reads in a read-only transaction, under the statement timeout', async () => {
    const settings =
      peer.dialect === 'postgres'
        ? "SELECT 1 AS id, current_setting('transaction_read_only') AS read_only, current_setting('statement_timeout') AS timeout"
        : 'SELECT 1 AS id, @@max_statement_time AS timeout';
    const { pages } = await listAll(options(settings));
    expect(pages[0]?.objects).toEqual([
      peer.dialect === 'postgres' ? { id: 1, read_only: 'on', timeout: '10s' } : { id: 1, timeout: 10 },
    ]);
    if (peer.dialect !== 'postgres') return;
    // A query that would write is stopped by the transaction.
    const sequence = peer.table('concord_seq');
    await peer.exec(`CREATE TABLE ${q(peer, sequence)} (id serial PRIMARY KEY)`);
    const { outcome } = await listAll(options(`SELECT nextval('${sequence}_id_seq') AS id`));
    expect(JSON.stringify(outcome)).toMatch(/tried to change data.*read-only transaction/);
  });

  it('stops at the page cap with a warning, not a complete listing', async () => {
    const table = peer.table('concord_cap');
    await peer.exec(`CREATE TABLE ${q(peer, table)} (id integer PRIMARY KEY)`);
    await peer.exec(`INSERT INTO ${q(peer, table)} VALUES (1), (2), (3), (4), (5)`);
    const { pages, outcome } = await listAll(options(table, { pageSize: 2, maxPages: 2 }));
    expect(pages).toHaveLength(2);
    expect(outcome).toEqual({
      complete: false,
      pages: 2,
      problem: { kind: 'page-cap', page: 2, maxPages: 2 },
    });
  });

  it('checks the host against the address policy before connecting', async () => {
    const { pages, outcome } = await listAll(
      options('anything', {
        urlPolicy: { allowPrivateNetworks: false },
        secrets: { password: 'hunter2-secret' },
      }),
    );
    expect(pages).toEqual([]);
    expect(outcome).toMatchObject({ complete: false, pages: 0, problem: { kind: 'transport', page: 1 } });
    const message = outcome.complete ? '' : (outcome.problem as { message: string }).message;
    expect(message).toMatch(/connection was refused: 127\.0\.0\.1, a loopback address/);
    // A DNS answer that points into the network is refused the same way.
    const rebound = await listAll(
      options('anything', {
        source: { ...peer.config, host: 'db.example.test', ssl: false, timeoutMs: 10_000 },
        urlPolicy: { allowPrivateNetworks: false },
        resolve: () => Promise.resolve([{ address: '10.1.2.3', family: 4 }]),
      }),
    );
    expect(JSON.stringify(rebound.outcome)).toMatch(
      /db\.example\.test resolves to 10\.1\.2\.3, a private network/,
    );
  });
});
