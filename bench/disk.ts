// Bytes of database per synchronised object, by table and index (SQLite's dbstat: pages in use,
// their unused space included), after the WAL is folded into the file: what 1M objects cost on disk.
import type { Client } from '@libsql/client';
import { round } from './memory';

export interface DiskUse {
  /** The whole database file ÷ objects. */
  bytesPerObject: number;
  fileMiB: number;
  /** Tables and indexes holding at least 1 % of the file, largest first (bytes per object). */
  byName: Record<string, number>;
}

export async function diskUse(client: Client, objects: number): Promise<DiskUse> {
  await client.execute('PRAGMA wal_checkpoint(TRUNCATE)');
  const pages = await client.execute(
    'SELECT page_count * page_size AS bytes FROM pragma_page_count, pragma_page_size',
  );
  const bytes = Number(pages.rows[0]?.bytes ?? 0);
  const byName: Record<string, number> = {};
  const rows = await client.execute(
    'SELECT name, sum(pgsize) AS bytes FROM dbstat GROUP BY name ORDER BY bytes DESC',
  );
  for (const row of rows.rows) {
    if (Number(row.bytes) >= bytes / 100)
      byName[row.name as string] = Math.round(Number(row.bytes) / objects);
  }
  return { bytesPerObject: Math.round(bytes / objects), fileMiB: round(bytes / 1024 ** 2, 1), byName };
}
