// The interfaces between the pure engine (server/sync/core) and everything with I/O: sources, targets,
// the contract store, the run log and the step executor (Inngest or the embedded runner).
import type { ContractState } from './core/contracts';
import type { RecalledAnswer } from './core/pagination/types';
import type { PageCheck, PageCheckAnswer, PageMemo, RecallRequest } from './core/page-memo';
import type { RetryFact } from './source-ports';

/**
 * Where a change came from, carried on every write. A hub fans a change out to every subscriber except
 * the system it came from (`systemId`), and a target that records it can tell its own echoes apart.
 */
export interface ChangeOrigin {
  /** The system the data came from: a source id, or `register` for Concord's own register. */
  readonly systemId: string;
  readonly syncId: string;
  readonly runId: string;
}

/** Which way a sync moves data; two-way compares change dates and falls back to the source of truth. */
export type SyncDirection = 'pull' | 'push' | 'two-way';
export type SourceOfTruth = 'source' | 'target';

// ── Sources: source-ports.ts ──

export * from './source-ports';

// ── Targets ───────────────────────────────────────────────────────────────────────────────────────

export interface TargetCreate {
  readonly originId: string;
  readonly object: Readonly<Record<string, unknown>>;
  /** Stable for this object within this run: a retried step sends the same key again. */
  readonly idempotencyKey: string;
  /**
   * hashValue(object), computed once by the engine: a target that stores the object as given answers it
   * as its targetHash instead of hashing again. (Left out by callers other than the engine.)
   */
  readonly hash?: string;
  readonly origin: ChangeOrigin;
  /** The listing page the object came from; as stable as the key (a retried step is the same page). */
  readonly page: number;
  /**
   * The target object the contract still names: a record back at the source after its deletion. A
   * target that keeps deleted objects restores that one (the register, after a soft deletion: same id,
   * version + 1) instead of creating another; one that no longer holds it, and every other target,
   * creates as usual.
   */
  readonly replaces?: string;
  /**
   * Set for objects handed to the run (pushed through the API, delivered by a webhook) rather than
   * listed: their sender repeats a failed delivery as a NEW run, which must find what the failed one
   * wrote. The same for this object in every run (it names the synchronisation, the origin id and the
   * object it replaces), unlike `idempotencyKey`. The register derives the object's id from it and adopts
   * an object written under it whose contract was never recorded; other targets need not read it (the
   * REST target has its create intents, the SQL target its keys).
   */
  readonly resendKey?: string;
}

export interface TargetUpdate {
  readonly originId: string;
  readonly targetId: string;
  readonly object: Readonly<Record<string, unknown>>;
  /** hashValue(object) (see TargetCreate). */
  readonly hash?: string;
  /**
   * Update only, for an object Concord has not written: `targetId` is the origin id, the target object
   * may not exist, and then nothing is created — the answer is a refusal with `absent`.
   */
  readonly ifExists?: true;
  /**
   * What the target was last sent for this object, where the contract keeps it (a REST target that
   * sends changed fields only): the base of the merge patch.
   */
  readonly sentBefore?: Readonly<Record<string, unknown>>;
  /**
   * The hash the writer saw the target object with when it decided (a two-way run's register side, and
   * its source side where the source is an SQL table: targets/sql-unchanged.ts): if
   * the object holds something else now, or is gone — a person or another synchronisation changed it
   * meanwhile — the update is refused as transient, never written over that change (decided again).
   */
  readonly unlessChangedFrom?: string;
  /** What the writer's last read said of the target object's version (see Precondition). */
  readonly precondition?: Precondition;
  readonly origin: ChangeOrigin;
  /** The listing page the object came from (see TargetCreate). */
  readonly page: number;
}

export interface TargetDelete {
  readonly originId: string;
  readonly targetId: string;
  /** As TargetUpdate's: an object that holds something else now is not deleted (refused as transient). */
  readonly unlessChangedFrom?: string;
  /** As TargetUpdate's. */
  readonly precondition?: Precondition;
  readonly origin: ChangeOrigin;
}

/**
 * The version of the target object a writer read just before writing (a two-way write-back to a REST
 * source): a REST target sends it as If-Match (a strong ETag) or else If-Unmodified-Since, so the
 * source itself refuses (412) a write to an object changed since — answered as transient, decided again.
 */
export interface Precondition {
  readonly etag?: string;
  readonly lastModified?: string;
}

/**
 * A write the target did not take. `transient` marks a failure that may pass on its own (a 429, a 5xx,
 * a lost connection, a deadlock): tried again later. Without it the target refused the object itself
 * (a 4xx, a constraint): not sent again until the object changes. `invalid` marks an object Concord
 * itself refused before writing (it does not fit the register schema): it counts as invalid, like an
 * object without an id; any other refusal is the target's, and counts as failed.
 */
/** A write's request sent again before its answer: a line of the run's timeline. */
export interface WriteRetry extends RetryFact {
  /** Which write, in words ("POST for 17"): method and origin id, no URL. */
  readonly request: string;
}

export interface TargetRefusal {
  readonly originId: string;
  readonly ok: false;
  readonly reason: string;
  /** The request's retries before this answer (a 503, a lost connection), for the run's timeline. */
  readonly retries?: readonly WriteRetry[];
  readonly transient?: boolean;
  readonly invalid?: true;
  /** An update with `ifExists` found no such object: nothing was written, and nothing is wrong. */
  readonly absent?: true;
  /**
   * A create the target accepted (a 2xx) without an answer naming the new object: it may exist there, so
   * the next attempt asks the target for it before sending it again (targets/create-intents.ts).
   */
  readonly mayExist?: true;
}

/**
 * Per object, matched by originId. A refused write is `ok: false` with the reason. `existing`: a create
 * found the target already holding an object under its key that no contract of this object named (an SQL
 * row inserted by someone else), and its write mode took it over (written with this object's values) or
 * left it as it was (insert only); the run says so instead of "created".
 */
export type TargetWriteResult =
  | {
      readonly originId: string;
      readonly ok: true;
      readonly targetId: string;
      readonly targetHash: string;
      readonly existing?: 'taken-over' | 'left';
      /** An update whose object the target no longer had at its id, written elsewhere (Relocated). */
      readonly relocated?: Relocated;
      readonly retries?: readonly WriteRetry[];
    }
  | TargetRefusal;

/**
 * An update the target answered "no such object" at the contract's id, written where that cannot make a
 * second copy (targets/rest-gone-at-id.ts): `created` again, or updated at the id the target holds it
 * under now. The run counts it as such, and logs `reason`.
 */
export interface Relocated {
  readonly created: boolean;
  readonly reason: string;
}

export type TargetDeleteResult = { readonly originId: string; readonly ok: true } | TargetRefusal;

/**
 * A target writes a page's changes as batches (one transaction or request burst each). It answers for
 * every object; one it leaves out counts as failed. Throwing is for outages: the step is then retried.
 */
export interface TargetPort {
  readonly systemId: string;
  create(batch: readonly TargetCreate[]): Promise<readonly TargetWriteResult[]>;
  update(batch: readonly TargetUpdate[]): Promise<readonly TargetWriteResult[]>;
  /** Deleting an object that is already gone is `ok` (a retried step may delete twice). */
  delete(batch: readonly TargetDelete[], policy: 'soft' | 'hard'): Promise<readonly TargetDeleteResult[]>;
  /**
   * For a test (dry) run, which writes nothing: the objects this target would refuse before writing
   * (its own validation, such as the register's JSON Schema), answered without side effects. A target
   * that can only know by writing leaves it out.
   */
  check?(batch: readonly TargetCheck[]): Promise<readonly TargetRefusal[]>;
}

export interface TargetCheck {
  readonly originId: string;
  readonly object: Readonly<Record<string, unknown>>;
  /** A create (a new object at the target), not an update of the one its contract names. */
  readonly create?: boolean;
}

// ── Contracts ─────────────────────────────────────────────────────────────────────────────────────

export interface ContractLookup {
  /** The contracts found, but for those named in `clean`. */
  readonly contracts: readonly ContractState[];
  /**
   * Asked with a SkipCheck: the ids whose contracts would skip their objects with nothing to write,
   * whose contracts are therefore not returned (a store may leave the check out and return them all).
   */
  readonly clean?: readonly string[];
  /**
   * Which of the asked ids this run saw on a page other than the one asked for (duplicates across pages).
   * Ids seen on the same page do not count, so a retried page does not take its own ids for repeats.
   */
  readonly seenInRun: readonly string[];
}

export interface SeenRequest {
  readonly runId: string;
  /** The page the ids were listed on. */
  readonly page: number;
  readonly originIds: readonly string[];
}

/**
 * What the skip rule needs to tell, for each id of a lookup, whether its contract would skip its object
 * with nothing to write (core/page-memo.ts, stores/page-memos.ts): the object's origin hash as this run
 * found it (null: none, never clean), in the order of the ids; the later of the synchronisation's and its
 * mapping's last edit; and this run's start. Asked only by a run whose pages a memo may decide.
 */
export interface SkipCheck {
  readonly hashes: readonly (string | null)[];
  readonly editedAt: Date;
  readonly checkedAt: Date;
}

export interface UnseenQuery {
  readonly runId: string;
  /** restrictDeletion: only these origin ids (exact match), or null for all. */
  readonly onlyOriginIds: readonly string[] | null;
  /**
   * Set when every object the run found was left with a contract of its own that is not deleted
   * (RunCounts.withContract): how many. Those are distinct ids, each with an active contract, so with
   * exactly as many contracts active none went unseen, and a store may answer 0 without walking them.
   */
  readonly allListedActive?: number;
  /**
   * An incremental run with sub-objects: only the children of objects this run listed that it did not
   * list itself (taken out of their parent), never an object it did not read.
   */
  readonly childrenOfListed?: boolean;
}

/** The contracts of one synchronisation (the store is built for it). */
export interface ContractStore {
  /**
   * ONE call per page: the contracts for these origin ids, and which ids other pages of this run listed;
   * with a skip check, only the contracts that would not skip their objects with nothing to write, and
   * the ids of the others.
   */
  lookup(request: SeenRequest & { readonly skipCheck?: SkipCheck }): Promise<ContractLookup>;
  /**
   * Records the origin ids this run listed — in every mode, test included: it is run bookkeeping,
   * not contract state, and both duplicate detection and deletion planning depend on it.
   */
  markSeen(request: SeenRequest): Promise<void>;
  /**
   * Inserts or replaces contracts by origin id, in one transaction. A state without `originData` keeps
   * the origin data the contract already has (lookups do not load it). Never called in test mode.
   * `at`: when the write happens (a new contract's creation; now by default) — the page's time, which
   * most of a new contract's own times equal: such a time is stored in no byte (schema/contracts.ts).
   */
  upsert(contracts: readonly ContractState[], at?: Date): Promise<void>;
  /**
   * Page memos (core/page-memo.ts): whether a page read again unchanged needs nothing but listing —
   * every object's contract would be skipped with nothing to write. A clean page's ids are then listed
   * in the run's ledger (as `markSeen` would). Stores without memos leave it out.
   */
  cleanPage?(check: PageCheck): Promise<PageCheckAnswer>;
  /** Remembers a page's objects' hashes under its digest, replacing the page's previous memo. */
  rememberPage?(memo: PageMemo): Promise<void>;
  /**
   * The answer's facts and the page's ids its memo keeps under this digest and key (PageMemo.answer),
   * or null: the listing then parses the answer (core/pagination/types.ts Recall).
   */
  recallPage?(request: RecallRequest): Promise<RecalledAnswer | null>;
  /** Forgets a page's memo: its answer, recalled, no longer read as when the memo was kept. */
  forgetPage?(page: number): Promise<void>;
  /** Contracts not deleted that existed before `before` (the run's start): the base of the deletion share. */
  countActive(request: { readonly before: Date }): Promise<number>;
  /** Contracts not deleted whose origin id this run did not see. */
  countUnseen(request: UnseenQuery): Promise<number>;
  /**
   * Contracts whose object the target refused (rejected): not sent again until the object changes, so a
   * run that skips them says so (run-result.ts withStandingRefusals). Left out by stores that keep none.
   */
  countRefused?(): Promise<number>;
  /** The same contracts, ordered by origin id, after `after` (keyset paging). */
  listUnseen(
    request: UnseenQuery & { readonly after: string | null; readonly limit: number },
  ): Promise<readonly ContractState[]>;
}

// ── Run log: run-log-ports.ts ──

export * from './run-log-ports';

// ── Steps ─────────────────────────────────────────────────────────────────────────────────────────

/**
 * Durable steps, supplied by Inngest (`step.run`) or the embedded runner. Ids are deterministic
 * (`page-3`); a finished step returns its stored result instead of running again. Results are small
 * plain JSON — cursors and counts, never objects.
 */
export interface StepRunner {
  run<T>(id: string, fn: () => Promise<T>): Promise<T>;
}
