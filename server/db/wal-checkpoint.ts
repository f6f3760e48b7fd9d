// How often a local database's WAL is copied back into the file: every WAL_CHECKPOINT_PAGES pages
// instead of SQLite's 1,000.
//
// A checkpoint writes every page the WAL holds into the database file. A page that several commits
// touch between two checkpoints is written there once: the leaves of the contracts' origin-id index,
// which a source with random ids (UUIDs) hits one per new contract, are each touched by many pages'
// commits. Checkpointing every 10,000 pages (a WAL of about 40 MB) instead of every 1,000: 100,000 UUIDs
// wrote 804 → 628 MB and spent 4.5 → 4.0–4.2 CPU-s in SQLite; sequential ids 349 → 322 MB (issue 14).
//
// The setting belongs to a connection, not to the file, and the connection that commits decides
// whether to checkpoint. libSQL's client opens connections as it needs them (a pool), so the setting
// travels with the statements that commit writes: at the end of every batch (before its COMMIT) and
// at the start of every transaction. Single statements reuse those connections (the pool hands out
// the one last returned, and the write gate keeps statements from overlapping a transaction), so
// they keep it too; one that ran on a fresh connection would only checkpoint sooner.
import type { Client, InArgs, InStatement, TransactionMode } from '@libsql/client';

export const WAL_CHECKPOINT_PAGES = 10_000;

const SETTING = `PRAGMA wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`;

/** The client with every batch and transaction setting the checkpoint interval of its connection. */
export function checkpointingClient(client: Client): Client {
  return new Proxy(client, {
    get(target, property, receiver) {
      // The method is taken as the property is read, as the write gate does: a caller that saved a
      // method and put its own in its place (tests recording statements) still reaches the original.
      if (property === 'batch') {
        const batch = target.batch.bind(target);
        return async (stmts: Array<InStatement | [string, InArgs?]>, mode?: TransactionMode) => {
          // Last, so the statements' indexes (in a batch error) stay theirs; it still precedes the COMMIT.
          const results = await batch([...stmts, SETTING], mode);
          return results.slice(0, -1);
        };
      }
      if (property === 'transaction') {
        const transaction = target.transaction.bind(target);
        return async (mode?: TransactionMode) => {
          const tx = await transaction(mode);
          try {
            await tx.execute(SETTING);
          } catch (error) {
            tx.close();
            throw error;
          }
          return tx;
        };
      }
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}
