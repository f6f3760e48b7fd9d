// What a batch of two-way decisions did, per side: plain JSON, as a durable step returns it.
/** Per side, what the batch did; conflicts and holds. Plain JSON (a step returns it). */
export interface SideTally {
  readonly register: { created: number; updated: number; deleted: number };
  readonly source: { created: number; updated: number; deleted: number };
  conflicts: number;
  settled: number;
  held: number;
  failed: number;
  /** Refused by Concord itself: the register schema refused the source's version (core's `invalid`). */
  invalid: number;
  unchanged: number;
  quarantined: number;
}

export const emptyTally = (): SideTally => ({
  register: { created: 0, updated: 0, deleted: 0 },
  source: { created: 0, updated: 0, deleted: 0 },
  conflicts: 0,
  settled: 0,
  held: 0,
  failed: 0,
  invalid: 0,
  unchanged: 0,
  quarantined: 0,
});

export function addTally(a: SideTally, b: SideTally): SideTally {
  return {
    register: {
      created: a.register.created + b.register.created,
      updated: a.register.updated + b.register.updated,
      deleted: a.register.deleted + b.register.deleted,
    },
    source: {
      created: a.source.created + b.source.created,
      updated: a.source.updated + b.source.updated,
      deleted: a.source.deleted + b.source.deleted,
    },
    conflicts: a.conflicts + b.conflicts,
    settled: a.settled + b.settled,
    held: a.held + b.held,
    failed: a.failed + b.failed,
    // A step stored before this count existed has none.
    invalid: (a.invalid ?? 0) + (b.invalid ?? 0),
    unchanged: a.unchanged + b.unchanged,
    quarantined: a.quarantined + b.quarantined,
  };
}
