// Retention's upkeep of source copies (source-copies.ts): rows few contracts still point into are
// compacted, small ones merged, and source objects contracts still hold in their rows (written before
// migration 0048) moved into copies. Each in write transactions of bounded size.
import { and, eq, inArray, isNotNull, ne, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { contracts, sourceCopies, synchronisations } from '../../db/schema';
import { jsonbRead } from '../../db/schema/columns';
import { chunk } from './chunks';
import { packSourceCopies, unpackSourceCopies } from './source-copies';

// A row holding fewer objects than this is small: a run that changed a few objects of a page made it,
// and its objects deflate less well together (about 40 bytes each in rows of ten, 15–25 in rows of a
// thousand, for the benchmark's).
const SMALL_COPY_ROW = 64;

/**
 * Rewrites the rows of copies that fewer than a quarter of their objects are still pointed into (most
 * of their contracts moved on to newer copies), and merges a synchronisation's small rows once it has
 * two or more: their live objects go into new rows, their contracts point there, and the old rows go.
 * Without it one live object would keep a whole page of stale ones, and years of runs that change a
 * few objects a page would leave every object in a small row. One synchronisation at a time, in write
 * transactions of up to 500 rows; finding the contracts that point into them walks the
 * synchronisation's contracts (no index on origin_copy: it would cost every contract bytes and a write
 * for what retention does now and then). Moving a contract's place moves its synchronisation's
 * contract epoch, so its next unchanged run asks the contracts once instead of trusting page memos'
 * stamps. Returns how many rows were rewritten.
 */
export async function compactSourceCopies(db: Db): Promise<number> {
  const candidates = await db
    .select({
      seq: sourceCopies.seq,
      syncSeq: sourceCopies.syncSeq,
      objects: sourceCopies.objects,
      live: sourceCopies.live,
    })
    .from(sourceCopies)
    .where(
      sql`${sourceCopies.live} * 4 < ${sourceCopies.objects} OR ${sourceCopies.objects} < ${SMALL_COPY_ROW}`,
    );
  const bySync = new Map<number, typeof candidates>();
  for (const row of candidates) bySync.set(row.syncSeq, [...(bySync.get(row.syncSeq) ?? []), row]);
  for (const [syncSeq, rows] of bySync) {
    // A sparse row always; small ones only to merge with another (one small row alone stays as it is).
    const chosen = rows.length > 1 ? rows : rows.filter((r) => r.live * 4 < r.objects);
    if (chosen.length === 0) bySync.delete(syncSeq);
    else bySync.set(syncSeq, chosen);
  }
  let rewritten = 0;
  // A few hundred rows a transaction: each walks the synchronisation's contracts once.
  const batches = [...bySync].flatMap(([syncSeq, rows]) =>
    chunk(
      rows.map((r) => r.seq),
      500,
    ).map((part) => [syncSeq, part] as const),
  );
  for (const [syncSeq, seqs] of batches) {
    rewritten += await db.transaction(async (tx) => {
      const old = new Map<number, unknown[]>();
      for (const row of await tx
        .select({ seq: sourceCopies.seq, data: sourceCopies.data })
        .from(sourceCopies)
        .where(inArray(sourceCopies.seq, seqs)))
        old.set(row.seq, unpackSourceCopies(row.data));
      const pointing = await tx
        .select({ seq: contracts.seq, copy: contracts.originCopy, at: contracts.originCopyAt })
        .from(contracts)
        .where(and(eq(contracts.syncSeq, syncSeq), inArray(contracts.originCopy, seqs)));
      await keepInCopies(
        tx,
        syncSeq,
        pointing.map((p) => ({ seq: p.seq, object: old.get(p.copy!)?.[p.at ?? -1] ?? null })),
      );
      // Every contract that pointed into them points elsewhere now (the triggers took most of them).
      await tx.delete(sourceCopies).where(inArray(sourceCopies.seq, seqs));
      return seqs.length;
    });
  }
  return rewritten;
}

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

/**
 * Puts these contracts' source objects into new rows of copies (live: all of them) and points each
 * contract at its place, clearing any it held in its row. The contracts' old places are let go of by
 * the triggers (contracts_copy_moved).
 */
async function keepInCopies(
  tx: Tx,
  syncSeq: number,
  entries: readonly { readonly seq: number; readonly object: unknown }[],
): Promise<void> {
  if (entries.length === 0) return;
  const packed = packSourceCopies(entries.map((e) => e.object));
  const inserted = await tx
    .insert(sourceCopies)
    .values(packed.rows.map((row) => ({ syncSeq, objects: row.objects, live: row.objects, data: row.data })))
    .returning({ seq: sourceCopies.seq });
  // In the order inserted (RETURNING promises no order; AUTOINCREMENT numbers them in it).
  inserted.sort((a, b) => a.seq - b.seq);
  const last = inserted.length - 1;
  const moves = entries.map((e, i) => [
    e.seq,
    inserted[last - packed.places[i]!.back]!.seq,
    packed.places[i]!.at,
  ]);
  for (const part of chunk(moves, 2_000))
    await tx.run(sql`UPDATE contracts SET origin_copy = j.value ->> 1, origin_copy_at = j.value ->> 2,
      origin_data = NULL FROM json_each(${JSON.stringify(part)}) AS j WHERE contracts.seq = j.value ->> 0`);
}

// Contracts moved a retention pass: a database upgraded with millions gets there over a few hours,
// each pass a few seconds.
const MOVED_PER_PASS = 50_000;
const MOVED_PER_TRANSACTION = 2_000;

/**
 * Moves the source objects that contracts of one-way synchronisations still hold in their rows (written
 * before migration 0048) into source copies, up to MOVED_PER_PASS a call, oldest contracts first. The
 * partial index contracts_sync_inline_origin holds exactly those rows, so finding them reads nothing else
 * and, once all have moved, costs nothing. Two-way synchronisations keep theirs in the row (their store
 * writes whole rows). Returns how many contracts were moved.
 */
export async function moveInlineSourceObjects(db: Db): Promise<number> {
  const syncs = await db
    .selectDistinct({ syncSeq: contracts.syncSeq })
    .from(contracts)
    .innerJoin(synchronisations, eq(synchronisations.seq, contracts.syncSeq))
    .where(and(isNotNull(contracts.originData), ne(synchronisations.direction, 'two-way')));
  let moved = 0;
  for (const { syncSeq } of syncs) {
    while (moved < MOVED_PER_PASS) {
      const n = await db.transaction(async (tx) => {
        const rows = await tx
          .select({ seq: contracts.seq, object: jsonbRead(contracts.originData) })
          .from(contracts)
          .where(and(eq(contracts.syncSeq, syncSeq), isNotNull(contracts.originData)))
          .limit(MOVED_PER_TRANSACTION);
        await keepInCopies(tx, syncSeq, rows);
        return rows.length;
      });
      moved += n;
      if (n < MOVED_PER_TRANSACTION) break;
    }
  }
  return moved;
}
