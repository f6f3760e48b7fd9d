// The source objects contracts keep, a page at a time (db/schema/source-copies.ts): packed by the
// contract store in the transaction that writes their contracts, and put back into the contracts that
// point at them by whoever shows, re-syncs or rewrites one (withOriginData). Retention's upkeep of them:
// source-copies-upkeep.ts.
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client';
import { sourceCopies } from '../../db/schema';
import { chunk } from './chunks';

// A row of copies closes once its JSON reaches this many characters: deflate looks back 32 KiB, so longer
// rows compress hardly better (22 bytes an object at 128 KiB, 25 at 32 KiB, for the benchmark's), and
// reading one object inflates its whole row (about 1 ms at this size).
const ROW_BYTES = 128 * 1024;

// zlib's fastest level: deflating the copies at the default level (6) took 0.35 CPU-s of an initial
// pull of 100k objects; level 1 takes half that, for 26 bytes an object instead of 22 (issue 14).
// Inflating reads any level, so rows written before keep reading as they are.
const DEFLATE = { level: 1 } as const;

/** Rows of copies to insert, and where each object went: `back` rows before the last one, at `at`. */
export interface PackedCopies {
  readonly rows: readonly { readonly objects: number; readonly data: Buffer }[];
  readonly places: readonly { readonly back: number; readonly at: number }[];
}

/** Packs source objects into rows of deflated JSON arrays, in their order (see ROW_BYTES). */
export function packSourceCopies(objects: readonly unknown[]): PackedCopies {
  const rows: { objects: number; data: Buffer }[] = [];
  const where: { row: number; at: number }[] = [];
  let texts: string[] = [];
  let bytes = 0;
  const close = () => {
    rows.push({ objects: texts.length, data: deflateRawSync(`[${texts.join(',')}]`, DEFLATE) });
    texts = [];
    bytes = 0;
  };
  for (const object of objects) {
    const text = JSON.stringify(object);
    where.push({ row: rows.length, at: texts.length });
    texts.push(text);
    bytes += text.length;
    if (bytes >= ROW_BYTES) close();
  }
  if (texts.length > 0) close();
  return { rows, places: where.map(({ row, at }) => ({ back: rows.length - 1 - row, at })) };
}

/** The objects of one row of copies, in their order. */
export function unpackSourceCopies(data: Uint8Array): unknown[] {
  return JSON.parse(inflateRawSync(data).toString('utf8')) as unknown[];
}

/** How a contract row read through contractReadColumns holds its source object. */
export interface KeptOrigin {
  readonly storedOriginData: unknown;
  readonly originCopy: number | null;
  readonly originCopyAt: number | null;
}

export type WithOriginData<T extends KeptOrigin> = Omit<T, keyof KeptOrigin> & { originData: unknown };

/**
 * Contract rows with their source object as `originData`: the one in the row, or the one in source
 * copies (each row of copies read and inflated once). A copy that is not there (it cannot be: its
 * contracts keep it) reads as none kept, which the contract page and re-sync say plainly.
 */
export async function withOriginData<T extends KeptOrigin>(
  db: Db | Tx,
  rows: readonly T[],
): Promise<WithOriginData<T>[]> {
  const wanted = [...new Set(rows.flatMap((r) => (r.originCopy === null ? [] : [r.originCopy])))];
  const copies = new Map<number, unknown[]>();
  for (const part of chunk(wanted, 200)) {
    const found = await db
      .select({ seq: sourceCopies.seq, data: sourceCopies.data })
      .from(sourceCopies)
      .where(inArray(sourceCopies.seq, part));
    for (const row of found) copies.set(row.seq, unpackSourceCopies(row.data));
  }
  return rows.map(({ storedOriginData, originCopy, originCopyAt, ...rest }) => ({
    ...rest,
    originData:
      originCopy === null ? storedOriginData : (copies.get(originCopy)?.[originCopyAt ?? -1] ?? null),
  }));
}
