// Every row Concord writes during a case, by table: contracts, the run's ledger, steps, progress,
// timeline, versions, register objects… — not only what the register shows (issue 14). The database
// client's statements are watched as they return: each write's rowsAffected counted for the table it
// writes (an upsert's row counts once, whether inserted or updated; a row inserted and deleted again
// counts twice). Costs a regular expression per statement, nothing per row.
import type { Client, InStatement, ResultSet, Transaction } from '@libsql/client';

export type RowWrites = Record<string, number>;

const WRITE = /\b(?:insert\s+(?:or\s+\w+\s+)?into|replace\s+into|update|delete\s+from)\s+["`[]?(\w+)/i;

function tableOf(statement: InStatement | string): string {
  const text = typeof statement === 'string' ? statement : statement.sql;
  return WRITE.exec(text)?.[1] ?? 'other';
}

/** Starts counting on this client (for the rest of the process); `take()` returns and resets the tally. */
export function countRowWrites(client: Client): { take(): RowWrites } {
  let tally: RowWrites = {};
  const add = (statement: InStatement | string, result: ResultSet) => {
    if (result.rowsAffected > 0) {
      const table = tableOf(statement);
      tally[table] = (tally[table] ?? 0) + result.rowsAffected;
    }
  };
  type Loose = (this: unknown, ...args: unknown[]) => Promise<unknown>;
  // Wrapped below the database gate (server/db/write-gate.ts, a Proxy): the methods are taken from the
  // prototype and set on the object the gate forwards to, so statements still take turns once.
  const watch = (target: object) => {
    const proto = Object.getPrototypeOf(target) as Record<'execute' | 'batch' | 'transaction', Loose>;
    Object.assign(target, {
      async execute(this: unknown, statement: InStatement | string, ...rest: unknown[]) {
        const result = (await proto.execute.call(this, statement, ...rest)) as ResultSet;
        add(statement, result);
        return result;
      },
      async batch(this: unknown, statements: InStatement[], ...rest: unknown[]) {
        const results = (await proto.batch.call(this, statements, ...rest)) as ResultSet[];
        results.forEach((result, i) => add(statements[i]!, result));
        return results;
      },
    });
    if ('transaction' in proto)
      Object.assign(target, {
        async transaction(this: unknown, ...args: unknown[]) {
          const tx = (await proto.transaction.call(this, ...args)) as Transaction;
          watch(tx);
          return tx;
        },
      });
  };
  watch(client);
  return {
    take() {
      const taken = tally;
      tally = {};
      return taken;
    },
  };
}

export const totalRows = (writes: RowWrites) => Object.values(writes).reduce((sum, n) => sum + n, 0);
