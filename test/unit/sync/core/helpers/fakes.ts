// In-memory ports for driving the engine in unit tests: a contract store, a target, a run recorder,
// a memoising step runner and a source made of given pages.
/* eslint-disable @typescript-eslint/require-await -- in-memory ports answer at once but implement async interfaces */
import { hashValue } from '@/server/sync/core/canonical-json';
import type { ContractState } from '@/server/sync/core/contracts';
import type { ListingOutcome } from '@/server/sync/core/pagination';
import type { RunSummary } from '@/server/sync/core/run-result';
import type {
  ContractLookup,
  ContractStore,
  RunEntry,
  RunProgress,
  RunRecorder,
  SeenRequest,
  SourcePage,
  SourcePort,
  StepRunner,
  TargetCheck,
  TargetCreate,
  TargetDelete,
  TargetDeleteResult,
  TargetPort,
  TargetRefusal,
  TargetUpdate,
  TargetWriteResult,
  UnseenQuery,
} from '@/server/sync/ports';

export class MemoryContractStore implements ContractStore {
  readonly contracts = new Map<string, ContractState>();
  readonly createdAt = new Map<string, Date>();
  /** runId → originId → page it was seen on */
  readonly seen = new Map<string, Map<string, number>>();
  readonly calls = { lookup: 0, upsert: 0, markSeen: 0 };

  constructor(private readonly now: () => Date = () => new Date()) {}

  seed(contracts: readonly ContractState[], createdAt = new Date(0)): this {
    for (const c of contracts) {
      this.contracts.set(c.originId, c);
      this.createdAt.set(c.originId, createdAt);
    }
    return this;
  }

  async lookup({ runId, page, originIds }: SeenRequest): Promise<ContractLookup> {
    this.calls.lookup++;
    const seen = this.seen.get(runId) ?? new Map<string, number>();
    return {
      contracts: originIds.flatMap((id) => this.contracts.get(id) ?? []),
      seenInRun: originIds.filter((id) => seen.has(id) && seen.get(id) !== page),
    };
  }

  async markSeen({ runId, page, originIds }: SeenRequest): Promise<void> {
    this.calls.markSeen++;
    const seen = this.seen.get(runId) ?? new Map<string, number>();
    for (const id of originIds) if (!seen.has(id)) seen.set(id, page);
    this.seen.set(runId, seen);
  }

  async upsert(contracts: readonly ContractState[]): Promise<void> {
    this.calls.upsert++;
    for (const c of contracts) {
      const previous = this.contracts.get(c.originId);
      if (!previous) this.createdAt.set(c.originId, this.now());
      // Like the libSQL store: a state without origin data keeps the data the contract has.
      const keep = c.originData === undefined && previous?.originData !== undefined;
      this.contracts.set(c.originId, keep ? { ...c, originData: previous.originData } : c);
    }
  }

  async countActive({ before }: { before: Date }): Promise<number> {
    return [...this.contracts.values()].filter(
      (c) => c.status !== 'deleted' && (this.createdAt.get(c.originId)?.getTime() ?? 0) < before.getTime(),
    ).length;
  }

  private unseen({ runId, onlyOriginIds, childrenOfListed }: UnseenQuery): ContractState[] {
    const seen = this.seen.get(runId) ?? new Map<string, number>();
    return [...this.contracts.values()]
      .filter((c) => c.status !== 'deleted' && !seen.has(c.originId))
      .filter((c) => !childrenOfListed || (c.parentOriginId !== null && seen.has(c.parentOriginId)))
      .filter((c) => onlyOriginIds === null || onlyOriginIds.includes(c.originId))
      .sort((a, b) => (a.originId < b.originId ? -1 : 1));
  }

  async countUnseen(query: UnseenQuery): Promise<number> {
    return this.unseen(query).length;
  }

  async listUnseen(
    query: UnseenQuery & { after: string | null; limit: number },
  ): Promise<readonly ContractState[]> {
    const after = query.after;
    return this.unseen(query)
      .filter((c) => after === null || c.originId > after)
      .slice(0, query.limit);
  }
}

export class MemoryTarget implements TargetPort {
  readonly systemId = 'target_1';
  readonly objects = new Map<string, Record<string, unknown>>();
  readonly deleted: { targetId: string; policy: 'soft' | 'hard' }[] = [];
  readonly calls = { create: 0, update: 0, delete: 0 };
  readonly writes: (TargetCreate | TargetUpdate)[] = [];
  /** originId → reason the target refuses writes or deletes for it (the object itself: a 4xx) */
  readonly refuse = new Map<string, string>();
  /** originId → reason a write fails for the moment (a 503, a lost connection) */
  readonly unavailable = new Map<string, string>();
  /** Update only: the target ids the target holds when `ifExists` is asked (others are absent) */
  readonly existing = new Set<string>();
  /** originId → reason Concord refuses to write it (as the register does for an object invalid for its schema) */
  readonly invalid = new Map<string, string>();
  /** originIds the target "forgets" to answer for */
  readonly silent = new Set<string>();
  /** The most write batches that were ever under way at once (a real target's transactions may deadlock). */
  maxConcurrentWrites = 0;
  private writing = 0;
  private nextId = 1;

  /** A test run's question: the objects Concord would refuse as invalid (nothing is written). */
  async check(batch: readonly TargetCheck[]): Promise<readonly TargetRefusal[]> {
    return batch.flatMap(({ originId }) => {
      const reason = this.invalid.get(originId);
      return reason === undefined ? [] : [{ originId, ok: false as const, reason, invalid: true as const }];
    });
  }

  async create(batch: readonly TargetCreate[]): Promise<readonly TargetWriteResult[]> {
    this.calls.create++;
    return this.batch(() => batch.flatMap((w) => this.write(w, `obj-${this.nextId++}`)));
  }

  async update(batch: readonly TargetUpdate[]): Promise<readonly TargetWriteResult[]> {
    this.calls.update++;
    return this.batch(() => batch.flatMap((w) => this.write(w, w.targetId)));
  }

  private async batch(write: () => TargetWriteResult[]): Promise<TargetWriteResult[]> {
    this.writing++;
    this.maxConcurrentWrites = Math.max(this.maxConcurrentWrites, this.writing);
    await new Promise((resolve) => setTimeout(resolve, 1));
    this.writing--;
    return write();
  }

  async delete(
    batch: readonly TargetDelete[],
    policy: 'soft' | 'hard',
  ): Promise<readonly TargetDeleteResult[]> {
    this.calls.delete++;
    return batch.flatMap((d): TargetDeleteResult[] => {
      if (this.silent.has(d.originId)) return [];
      const reason = this.refuse.get(d.originId);
      if (reason) return [{ originId: d.originId, ok: false, reason }];
      this.objects.delete(d.targetId);
      this.deleted.push({ targetId: d.targetId, policy });
      return [{ originId: d.originId, ok: true }];
    });
  }

  private write(w: TargetCreate | TargetUpdate, targetId: string): TargetWriteResult[] {
    this.writes.push(w);
    if (this.silent.has(w.originId)) return [];
    const invalid = this.invalid.get(w.originId);
    if (invalid) return [{ originId: w.originId, ok: false, reason: invalid, invalid: true }];
    const reason = this.refuse.get(w.originId);
    if (reason) return [{ originId: w.originId, ok: false, reason }];
    const passing = this.unavailable.get(w.originId);
    if (passing) return [{ originId: w.originId, ok: false, reason: passing, transient: true }];
    if ('ifExists' in w && w.ifExists && !this.existing.has(targetId) && !this.objects.has(targetId))
      return [{ originId: w.originId, ok: false, reason: 'no such object', absent: true }];
    this.objects.set(targetId, { ...w.object });
    // Like the register: the hash of what it stores.
    return [{ originId: w.originId, ok: true, targetId, targetHash: hashValue(w.object) }];
  }
}

export class MemoryRecorder implements RunRecorder {
  readonly batches = new Map<string, readonly RunEntry[]>();
  readonly progressed: RunProgress[] = [];
  summary: RunSummary | null = null;

  async entries(batchKey: string, entries: readonly RunEntry[]): Promise<void> {
    this.batches.set(batchKey, entries);
  }
  async progress(progress: RunProgress): Promise<void> {
    this.progressed.push(progress);
  }
  async finish(summary: RunSummary): Promise<void> {
    this.summary = summary;
  }
  all(): RunEntry[] {
    return [...this.batches.values()].flat();
  }
}

/** Memoises by step id and round-trips results through JSON, as a durable executor would. */
export class MemorySteps implements StepRunner {
  readonly memo = new Map<string, string>();
  readonly ran: string[] = [];

  async run<T>(id: string, fn: () => Promise<T>): Promise<T> {
    const stored = this.memo.get(id);
    if (stored !== undefined) return JSON.parse(stored) as T;
    this.ran.push(id);
    const result = await fn();
    this.memo.set(id, JSON.stringify(result));
    return JSON.parse(JSON.stringify(result)) as T;
  }
}

/** A source serving the given pages; the cursor is the index of the next page. */
export function pagesSource(
  pages: readonly (readonly unknown[])[],
  end: ListingOutcome = { complete: true, pages: pages.length },
): SourcePort<number> & { readonly opened: (number | null)[] } {
  const opened: (number | null)[] = [];
  return {
    systemId: 'src_1',
    opened,
    async *pages(from: number | null): AsyncGenerator<SourcePage<number>, ListingOutcome, void> {
      opened.push(from);
      for (let i = from ?? 0; i < pages.length; i++) {
        const last = i === pages.length - 1;
        const then = last ? { kind: 'end' as const, outcome: end } : { kind: 'next' as const, cursor: i + 1 };
        yield { number: i + 1, objects: pages[i] ?? [], then };
      }
      return end;
    },
  };
}
