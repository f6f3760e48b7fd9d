// The two floors every case is compared with, over the same pages and the same HTTP client as a sync:
// fetching all pages only, and fetching plus a plain bulk insert of the raw objects into libSQL.
import type { Client } from '@libsql/client';
import { openDatabase } from '@/server/db/client';
import { createHttpClient } from '@/server/sync/http';
import { firstPagePath } from './config';

const ROWS_PER_INSERT = 500;

/** Follows the RFC 8288 `Link` header's rel="next" from the first page; calls onPage with each page. */
async function fetchAllPages(
  baseUrl: string,
  onPage: (objects: readonly Record<string, unknown>[]) => Promise<void>,
  maxPages = Number.POSITIVE_INFINITY,
): Promise<{ objects: number; pages: number }> {
  const client = createHttpClient({ baseUrl, urlPolicy: { allowPrivateNetworks: true } });
  let url: string | undefined = new URL(firstPagePath(), baseUrl).href;
  let objects = 0;
  let pages = 0;
  try {
    while (url && pages < maxPages) {
      const result = await client.fetch({ url });
      if (!result.ok) throw new Error(`floor: ${result.reason}`);
      if (!Array.isArray(result.body)) throw new Error(`floor: page ${pages + 1} is not a list`);
      const list = result.body as Record<string, unknown>[];
      if (list.length === 0) break;
      pages++;
      objects += list.length;
      await onPage(list);
      url = nextLink(result.headers['link'], url);
    }
  } finally {
    await client.close();
  }
  return { objects, pages };
}

function nextLink(header: string | undefined, base: string): string | undefined {
  for (const part of header?.split(',') ?? []) {
    const match = /<([^>]*)>\s*;\s*rel="?next"?/.exec(part);
    if (match?.[1]) return new URL(match[1], base).href;
  }
  return undefined;
}

/** All pages, or the first `maxPages` (a warm-up). */
export function fetchOnly(baseUrl: string, maxPages?: number) {
  return fetchAllPages(baseUrl, () => Promise.resolve(), maxPages);
}

/** A fresh table per call; one write transaction per page with multi-row inserts of (id, json). */
export async function fetchAndInsert(baseUrl: string, dbFile: string) {
  const { client } = openDatabase(`file:${dbFile}`);
  try {
    await client.execute('PRAGMA journal_mode=WAL');
    await client.execute('DROP TABLE IF EXISTS raw_objects');
    await client.execute('CREATE TABLE raw_objects (id TEXT PRIMARY KEY, data TEXT NOT NULL)');
    const listed = await fetchAllPages(baseUrl, (objects) => insertPage(client, objects));
    const row = (await client.execute('SELECT count(*) AS n FROM raw_objects')).rows[0];
    return { ...listed, inserted: Number(row?.n ?? 0) };
  } finally {
    client.close();
  }
}

async function insertPage(client: Client, objects: readonly Record<string, unknown>[]): Promise<void> {
  const tx = await client.transaction('write');
  try {
    for (let i = 0; i < objects.length; i += ROWS_PER_INSERT) {
      const rows = objects.slice(i, i + ROWS_PER_INSERT);
      await tx.execute({
        sql: `INSERT INTO raw_objects (id, data) VALUES ${rows.map(() => '(?, ?)').join(', ')}`,
        args: rows.flatMap((o) => [String(o.id), JSON.stringify(o)]),
      });
    }
    await tx.commit();
  } finally {
    tx.close();
  }
}
