// A batch of two-way decisions as pairs.ts carries it out. Every step reads the same things: the run's
// context and ports, the listing page, one clock, and the flap breaker's counts. Every step adds to the
// same things: the tally, the run log, the contract states (saved once, at the end), and the open
// conflicts whose sides now agree. A side's answers are matched to its requests by keyOf (answersTo).
import { hashObject } from '../core/canonical-json';
import { evolveContract } from '../core/contracts';
import type { ChangeOrigin, RunEntry, TargetCreate, TargetRefusal, TargetUpdate } from '../ports';
import type { PairContract } from './pair-store';
import type { Decided, Pair, TwoWayContext, TwoWayPorts } from './pairs';
import { emptyTally, type SideTally } from './tally';

export interface Batch {
  readonly ctx: TwoWayContext;
  readonly ports: TwoWayPorts;
  /** The listing page the decisions came from (0: none), as each write reports it. */
  readonly page: number;
  /** One clock for the whole batch: the flap window, and when a register object was written. */
  readonly now: Date;
  /** The flap breaker's new count of each object about to be written, by keyOf (sorting fills it). */
  readonly flips: Map<string, { flips: number; flipsSince: Date }>;
  readonly tally: SideTally;
  readonly entries: RunEntry[];
  readonly states: PairContract[];
  /** Objects with an open conflict whose sides hold the same now: closed by agreement after the save. */
  readonly agreed: string[];
}

/** What sorting leaves each side to write: creates, then updates, then (after both sides) deletions. */
export interface Writes {
  readonly register: {
    readonly creates: Decided[];
    readonly updates: Decided[];
    readonly deletes: Decided[];
  };
  readonly source: {
    readonly creates: SourceWrite[];
    readonly updates: SourceWrite[];
    readonly deletes: Decided[];
  };
}

/** A write at the source, with the object it is written (the register's version, in the source's shape). */
export type SourceWrite = { d: Decided; object: Record<string, unknown> };

/** The key a write is answered under: the source id, or the register id of an object new to the source. */
export const keyOf = (pair: Pair) => pair.originId ?? `register:${pair.target?.id ?? ''}`;

export function startBatch(ctx: TwoWayContext, ports: TwoWayPorts, page: number): Batch {
  return {
    ctx,
    ports,
    page,
    now: new Date(),
    flips: new Map(),
    tally: emptyTally(),
    entries: [],
    states: [],
    agreed: [],
  };
}

/**
 * A create on either side. The idempotency key is the run's and the object's, so a step retried after
 * the write went through does not create the object twice. `replaces` is the side's id of the object the
 * contract still names (a record back after its deletion, TargetCreate.replaces): a side that keeps
 * deleted objects restores it.
 */
export function createRequest(
  batch: Batch,
  pair: Pair,
  object: Record<string, unknown>,
  hash: string,
  origin: ChangeOrigin,
  replaces?: string | null,
): TargetCreate {
  const key = keyOf(pair);
  const { syncId, runId } = batch.ctx;
  return {
    originId: key,
    object,
    hash,
    idempotencyKey: `${syncId}:${runId}:${key}`,
    origin,
    page: batch.page,
    ...(replaces ? { replaces } : {}),
  };
}

/** An update on either side: `targetId` is the side's own id of the object. */
export function updateRequest(
  batch: Batch,
  pair: Pair,
  targetId: string,
  object: Record<string, unknown>,
  hash: string,
  origin: ChangeOrigin,
): TargetUpdate {
  return { originId: keyOf(pair), targetId, object, hash, origin, page: batch.page };
}

/**
 * A write at the source is decided from the source's object as this run read it: its hash (as the run
 * hashes the source's objects) goes with the update or deletion, and a source object that holds
 * something else by the time it is written — changed there meanwhile — is not written over (refused as
 * transient, decided again next run), as the register's side does (register-writes.ts).
 */
export const unlessChangedAtSource = (batch: Batch, pair: Pair): { unlessChangedFrom?: string } =>
  pair.source ? { unlessChangedFrom: hashObject(pair.source, batch.ctx.hashFields) } : {};

/** The origin of a write at the source: the data came from the register. */
export const fromRegister = (ctx: TwoWayContext): ChangeOrigin => ({ ...ctx.origin, systemId: 'register' });

/**
 * A write or deletion a side refused: counted as failed and logged. The contract keeps its bases, so the
 * object is decided again next time; it is marked failed (a transient refusal) or rejected.
 */
export function refused(batch: Batch, d: Decided, side: string, answer: TargetRefusal): void {
  if (answer.invalid) invalidForSchema(batch, d, `${side}: ${answer.reason}`);
  else notWritten(batch, d, `${side}: ${answer.reason}`, answer.transient === true);
}

/**
 * An object the register schema refused: invalid, as a one-way run counts it (core/write-results.ts) —
 * Concord's refusal, not the target's. Logged and said on its contract; the contract keeps its bases, so
 * the next run decides the object again.
 */
function invalidForSchema(batch: Batch, d: Decided, why: string): void {
  const { contract, originId } = d.pair;
  batch.tally.invalid += 1;
  batch.entries.push({ originId: originId ?? d.pair.target?.id ?? null, action: 'invalid', reason: why });
  if (contract && originId)
    batch.states.push({
      ...contract,
      ...evolveContract(contract, originId, {
        status: 'invalid',
        lastAction: contract.lastAction,
        lastError: why,
        sourceLastChecked: batch.ctx.checkedAt,
      }),
    });
}

/**
 * An object that could not be written, and why: counted as failed, logged, and said on its contract —
 * failed when trying again may help, rejected when it fails alike until the object or the setup changes.
 * The contract keeps its bases, so the next run decides the object again.
 */
export function notWritten(batch: Batch, d: Decided, why: string, transient: boolean): void {
  const { contract, originId } = d.pair;
  batch.tally.failed += 1;
  // An object the source does not hold yet has no id there: its entry names it by its register id, so
  // the log says which object failed and the object's runs list this one.
  batch.entries.push({ originId: originId ?? d.pair.target?.id ?? null, action: 'failed', reason: why });
  if (contract && originId)
    batch.states.push({
      ...contract,
      ...evolveContract(contract, originId, {
        status: transient ? 'failed' : 'rejected',
        lastAction: contract.lastAction,
        lastError: why,
        sourceLastChecked: batch.ctx.checkedAt,
      }),
    });
}

/**
 * Each request with the side's answer to it, in the requests' order (null: none came). A side answers for
 * every object (ports.ts); an answer for an object it was not asked about is ignored.
 */
export function answersTo<T, A extends { readonly originId: string }>(
  requests: readonly T[],
  keyOfRequest: (request: T) => string,
  answers: readonly A[],
): [T, A | null][] {
  const byKey = new Map(answers.map((a) => [a.originId, a]));
  return requests.map((request) => [request, byKey.get(keyOfRequest(request)) ?? null]);
}

/**
 * An object a side left out of its answer: not known to be written, so it counts as failed, a transient
 * failure that is decided again next run — as a one-way run counts it (core/run-page.ts).
 */
export function unanswered(batch: Batch, d: Decided, side: 'The register' | 'The source'): void {
  refused(batch, d, side, {
    originId: keyOf(d.pair),
    ok: false,
    reason: 'no answer came for this object',
    transient: true,
  });
}
