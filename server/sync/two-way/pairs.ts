// Carrying out a batch of two-way decisions: the writes on each side (register first, then the source),
// reading back what the source now holds, and what the contracts, conflicts and log remember of it.
// The decisions themselves are core/decide.ts; this file only does what they say.
import { hashObject, hashValue } from '../core/canonical-json';
import { evolveContract } from '../core/contracts';
import type { RunMode } from '../core/one-way';
import { applyMapping } from '../core/mapping/apply';
import type { CompiledMapping } from '../core/mapping/compile';
import { decide as decideTable, type PairDecision } from '../core/decide';
import { nextFlip, type TwoWaySettings } from '../core/two-way/settings';
import { getPath, setPath } from '../core/paths';
import type { ChangeOrigin, RunEntry, TargetPort, TargetRefusal } from '../ports';
import type { PairContract, PairStore } from './pair-store';
import { inConflict, quarantined, synced, tombstone } from './pair-states';
import { emptyTally, type SideTally } from './tally';
import { conflictReason, reasonOf } from './words';
import type { RegisterObject } from './register-side';
import type { WriteBack } from './write-back';

export interface TwoWayContext {
  readonly runId: string;
  /** Where the source keeps an object's id (a dot path). */
  readonly idField: string;
  readonly syncId: string;
  readonly mode: RunMode;
  readonly checkedAt: Date;
  readonly twoWay: TwoWaySettings;
  readonly hashFields: readonly string[] | null;
  /** Register object → the source's shape (null: written as it is). */
  readonly reverse: CompiledMapping | null;
  /** The register write's origin: the source system, so the hub never sends it back there. */
  readonly origin: ChangeOrigin;
  /**
   * Deletions on both sides follow the synchronisation's policy. A soft delete at the source leaves the
   * object listed, marked: it is read back, and the tombstone keeps its hash, so it is not taken for
   * an object that came back (core/decide.ts).
   */
  readonly deletionPolicy: 'none' | 'soft' | 'hard';
}

export interface TwoWayPorts {
  readonly pairs: PairStore;
  readonly register: TargetPort;
  readonly writeBack: WriteBack;
}

/** One object as both sides hold it now. */
export interface Pair {
  /** The source's id; null for an object only the register holds. */
  readonly originId: string | null;
  readonly source: Record<string, unknown> | null;
  readonly sourceHash: string | null;
  /** The source's version through the mapping: the register's shape. */
  readonly mapped: Record<string, unknown> | null;
  readonly mappedHash: string | null;
  readonly contract: PairContract | null;
  readonly target: RegisterObject | null;
  /** Paired by the matching field on a first run. */
  readonly matched?: boolean;
  /** An open conflict waits for this object: nothing is written until a person resolves it. */
  readonly inConflict?: boolean;
}

/** A side's updated-at value: the configured field, or for the register its own clock. */
function updatedAtOf(ctx: TwoWayContext, pair: Pair) {
  const paths = ctx.twoWay.updatedAt;
  const source = pair.source && paths.source ? getPath(pair.source, paths.source) : null;
  const target = pair.target
    ? paths.target
      ? getPath(pair.target.data, paths.target)
      : pair.target.updatedAt.toISOString()
    : null;
  return { source: source ?? null, target: target ?? null };
}

export function decide(ctx: TwoWayContext, pair: Pair): PairDecision {
  const dates = updatedAtOf(ctx, pair);
  const c = pair.contract;
  return decideTable({
    base:
      c === null
        ? null
        : {
            sourceHash: c.originHash,
            targetHash: c.targetBaseHash,
            sourceWritten: c.originSentHash,
            deleted: c.status === 'deleted',
          },
    source: pair.sourceHash === null ? null : { hash: pair.sourceHash, updatedAt: dates.source },
    target: pair.target ? { hash: pair.target.hash, updatedAt: dates.target } : null,
    same: pair.target !== null && pair.mappedHash !== null && pair.mappedHash === pair.target.hash,
    settings: ctx.twoWay,
  });
}

type Decided = { pair: Pair; decision: PairDecision };

/** The key a write is answered under: the source id, or the register id of an object new to the source. */
const keyOf = (pair: Pair) => pair.originId ?? `register:${pair.target?.id ?? ''}`;

/**
 * Writes what the decisions say, and records it. `allowDeletes` says per side whether this run may
 * delete there (the threshold hold was planned before): a deletion it may not make is held.
 */
export async function carryOut(
  ctx: TwoWayContext,
  ports: TwoWayPorts,
  decided: readonly Decided[],
  page: number,
  allowDeletes: { readonly register: boolean; readonly source: boolean },
): Promise<{ tally: SideTally; entries: RunEntry[]; createdAtSource: string[] }> {
  const tally = emptyTally();
  const entries: RunEntry[] = [];
  const states: PairContract[] = [];
  const now = new Date();
  const byKey = new Map(decided.map((d) => [keyOf(d.pair), d]));
  const agreed: string[] = [];

  // What the source is written: the register's version through the reverse mapping.
  const toSourceObject = (data: Record<string, unknown>): Record<string, unknown> | string => {
    if (!ctx.reverse) return structuredClone(data);
    const outcome = applyMapping(ctx.reverse, data);
    if (outcome.ok) return outcome.value;
    return `The write-back mapping failed: ${outcome.errors.map((e) => `${e.key}: ${e.message}`).join('; ')}`;
  };

  const regCreates: Decided[] = [];
  const regUpdates: Decided[] = [];
  const regDeletes: Decided[] = [];
  const srcCreates: { d: Decided; object: Record<string, unknown> }[] = [];
  const srcUpdates: { d: Decided; object: Record<string, unknown> }[] = [];
  const srcDeletes: Decided[] = [];

  // The flap breaker: each write of an object counts in its window; one too many quarantines it.
  const flips = new Map<string, { flips: number; flipsSince: Date }>();
  const writing = new Set(['to-target', 'to-source', 'delete-target', 'delete-source']);
  for (const d of decided) {
    const { pair, decision } = d;
    const originId = pair.originId;
    if (pair.contract?.status === 'quarantined') {
      // Left alone until a person releases it (the contract page).
      tally.quarantined += 1;
      continue;
    }
    if (writing.has(decision.do) && pair.contract && originId) {
      const flip = nextFlip(pair.contract, now, ctx.twoWay.flap);
      if (flip.tripped) {
        tally.quarantined += 1;
        const reason =
          `Quarantined by the flap breaker: written ${flip.flips - 1} times in ${ctx.twoWay.flap.minutes} minutes ` +
          'and changed again. Find what keeps changing it, then release it on its contract.';
        entries.push({ originId, action: 'hold', reason });
        if (!ctx.mode.test) states.push(quarantined(pair.contract, originId, flip, reason, ctx));
        continue;
      }
      flips.set(keyOf(pair), flip);
    }
    switch (decision.do) {
      case 'nothing':
        tally.unchanged += 1;
        break;
      case 'rebase':
        tally.unchanged += 1;
        if (pair.inConflict && originId) agreed.push(originId);
        if (!ctx.mode.test && originId && pair.target)
          states.push(
            synced(pair, originId, { lastAction: decision.why === 'matched' ? 'match' : 'skip' }, ctx),
          );
        break;
      case 'conflict':
        tally.conflicts += 1;
        entries.push({ originId, action: 'conflict', reason: conflictReason(decision.kind) });
        if (!ctx.mode.test && originId) {
          await ports.pairs.recordConflict(conflictRecord(ctx, pair, decision.kind));
          states.push(inConflict(pair, originId, ctx));
        }
        break;
      case 'to-target':
        (decision.create || !pair.target ? regCreates : regUpdates).push(d);
        break;
      case 'to-source': {
        const object = pair.target ? toSourceObject(pair.target.data) : 'The register object is gone.';
        // An update carries the source's own id, as the source holds it (an SQL key column, a body id).
        const id = pair.source ? getPath(pair.source, ctx.idField) : undefined;
        if (typeof object !== 'string' && id !== undefined && getPath(object, ctx.idField) === undefined)
          setPath(object, ctx.idField, id);
        if (typeof object === 'string') {
          tally.failed += 1;
          entries.push({ originId, action: 'failed', reason: object });
        } else (decision.create || !originId ? srcCreates : srcUpdates).push({ d, object });
        break;
      }
      case 'delete-target':
        if (ctx.deletionPolicy === 'none') tally.unchanged += 1;
        else if (!allowDeletes.register) {
          tally.held += 1;
          entries.push({
            originId,
            action: 'hold',
            reason: `Deletion in the register held: ${reasonOf(decision)}`,
          });
        } else regDeletes.push(d);
        break;
      case 'delete-source':
        if (ctx.deletionPolicy === 'none') tally.unchanged += 1;
        else if (!allowDeletes.source) {
          tally.held += 1;
          entries.push({
            originId,
            action: 'hold',
            reason: `Deletion at the source held: ${reasonOf(decision)}`,
          });
        } else srcDeletes.push(d);
        break;
    }
  }

  if (ctx.mode.test) {
    for (const d of [...regCreates, ...regUpdates])
      entries.push({
        originId: d.pair.originId,
        action: d.decision.do === 'to-target' && (d.decision.create || !d.pair.target) ? 'create' : 'update',
        reason: `In the register: ${reasonOf(d.decision)}`,
        object: d.pair.mapped ?? {},
      });
    for (const { d, object } of [...srcCreates, ...srcUpdates])
      entries.push({
        originId: d.pair.originId,
        action: d.pair.originId ? 'update' : 'create',
        reason: `At the source: ${reasonOf(d.decision)}`,
        object,
      });
    for (const d of regDeletes)
      entries.push({
        originId: d.pair.originId,
        action: 'delete',
        reason: `In the register: ${reasonOf(d.decision)}`,
      });
    for (const d of srcDeletes)
      entries.push({
        originId: d.pair.originId,
        action: 'delete',
        reason: `At the source: ${reasonOf(d.decision)}`,
      });
    return { tally, entries, createdAtSource: [] };
  }

  const refused = (d: Decided, side: string, answer: TargetRefusal) => {
    tally.failed += 1;
    entries.push({ originId: d.pair.originId, action: 'failed', reason: `${side}: ${answer.reason}` });
    if (d.pair.contract && d.pair.originId)
      states.push({
        ...d.pair.contract,
        ...evolveContract(d.pair.contract, d.pair.originId, {
          status: answer.transient ? 'failed' : 'rejected',
          lastAction: d.pair.contract.lastAction,
          lastError: `${side}: ${answer.reason}`,
          sourceLastChecked: ctx.checkedAt,
        }),
      });
  };

  // ── The register side ────────────────────────────────────────────────────────────────────────────
  const created = regCreates.length
    ? await ports.register.create(
        regCreates.map((d) => ({
          originId: keyOf(d.pair),
          object: d.pair.mapped!,
          hash: d.pair.mappedHash!,
          idempotencyKey: `${ctx.syncId}:${ctx.runId}:${keyOf(d.pair)}`,
          origin: ctx.origin,
          page,
        })),
      )
    : [];
  const updated = regUpdates.length
    ? await ports.register.update(
        regUpdates.map((d) => ({
          originId: keyOf(d.pair),
          targetId: d.pair.target!.id,
          object: d.pair.mapped!,
          hash: d.pair.mappedHash!,
          origin: ctx.origin,
          page,
        })),
      )
    : [];
  for (const answer of [...created, ...updated]) {
    const d = byKey.get(answer.originId);
    if (!d) continue;
    if (!answer.ok) {
      refused(d, 'The register refused it', answer);
      continue;
    }
    const isCreate = created.includes(answer);
    tally.register[isCreate ? 'created' : 'updated'] += 1;
    if (d.decision.do === 'to-target' && d.decision.settled) tally.settled += 1;
    entries.push({
      originId: d.pair.originId,
      action: isCreate ? 'create' : 'update',
      reason: `In the register: ${reasonOf(d.decision)}`,
    });
    const target: RegisterObject = {
      id: answer.targetId,
      data: d.pair.mapped!,
      hash: answer.targetHash,
      updatedAt: now,
    };
    if (d.decision.do === 'to-target' && d.decision.settled)
      await ports.pairs.recordConflict({
        ...conflictRecord(ctx, d.pair, d.decision.settled.kind),
        settled: { by: d.decision.settled.by, losingData: d.pair.target?.data ?? null },
      });
    if (d.pair.inConflict && d.pair.originId) agreed.push(d.pair.originId);
    states.push(
      synced(
        { ...d.pair, target },
        d.pair.originId!,
        { lastAction: isCreate ? 'create' : 'update', flip: flips.get(answer.originId) },
        ctx,
      ),
    );
  }

  // ── The source side ──────────────────────────────────────────────────────────────────────────────
  const written = new Map<
    string,
    { d: Decided; object: Record<string, unknown>; sourceId: string; create: boolean }
  >();
  const sourceCreated = srcCreates.length
    ? await ports.writeBack.port.create(
        srcCreates.map(({ d, object }) => ({
          originId: keyOf(d.pair),
          object,
          hash: hashValue(object),
          idempotencyKey: `${ctx.syncId}:${ctx.runId}:${keyOf(d.pair)}`,
          origin: { ...ctx.origin, systemId: 'register' },
          page,
        })),
      )
    : [];
  const sourceUpdated = srcUpdates.length
    ? await ports.writeBack.port.update(
        srcUpdates.map(({ d, object }) => ({
          originId: keyOf(d.pair),
          targetId: d.pair.originId!,
          object,
          hash: hashValue(object),
          origin: { ...ctx.origin, systemId: 'register' },
          page,
        })),
      )
    : [];
  const objects = new Map([...srcCreates, ...srcUpdates].map((w) => [keyOf(w.d.pair), w]));
  for (const answer of [...sourceCreated, ...sourceUpdated]) {
    const w = objects.get(answer.originId);
    if (!w) continue;
    if (!answer.ok) {
      refused(w.d, 'The source refused it', answer);
      continue;
    }
    const create = sourceCreated.includes(answer);
    tally.source[create ? 'created' : 'updated'] += 1;
    written.set(answer.targetId, { ...w, sourceId: answer.targetId, create });
  }
  if (written.size > 0) {
    // What the source holds now, where it can be read by id; otherwise what was written stands for it.
    const readBack = await ports.writeBack.readBack([...written.keys()]).catch(() => new Map());
    for (const [sourceId, w] of written) {
      const { d } = w;
      const holds = (readBack.get(sourceId) as Record<string, unknown> | undefined) ?? w.object;
      if (d.decision.do === 'to-source' && d.decision.settled) {
        tally.settled += 1;
        await ports.pairs.recordConflict({
          ...conflictRecord(ctx, d.pair, d.decision.settled.kind),
          settled: { by: d.decision.settled.by, losingData: d.pair.mapped },
        });
      }
      if (d.pair.inConflict && d.pair.originId) agreed.push(d.pair.originId);
      entries.push({
        originId: sourceId,
        action: w.create ? 'create' : 'update',
        reason: `At the source: ${reasonOf(d.decision)}`,
      });
      const state = synced(
        { ...d.pair, originId: sourceId, source: holds, sourceHash: hashObject(holds, ctx.hashFields) },
        sourceId,
        {
          lastAction: 'write-back',
          sentToSource: hashObject(w.object, ctx.hashFields),
          flip: flips.get(keyOf(d.pair)),
        },
        ctx,
      );
      states.push(state);
      // An object that came back at the source under a new id: its old contract is a tombstone.
      if (d.pair.contract && d.pair.originId && d.pair.originId !== sourceId)
        states.push(tombstone(d.pair.contract, d.pair.originId, ctx));
    }
  }

  // ── Deletions ────────────────────────────────────────────────────────────────────────────────────
  const policy = ctx.deletionPolicy === 'none' ? 'soft' : ctx.deletionPolicy;
  if (regDeletes.length > 0) {
    const answers = await ports.register.delete(
      regDeletes.map((d) => ({ originId: keyOf(d.pair), targetId: d.pair.target!.id, origin: ctx.origin })),
      policy,
    );
    for (const answer of answers) {
      const d = byKey.get(answer.originId);
      if (!d) continue;
      if (!answer.ok) {
        refused(d, 'The register refused the deletion', answer);
        continue;
      }
      tally.register.deleted += 1;
      if (d.decision.do === 'delete-target' && d.decision.settled) {
        tally.settled += 1;
        await ports.pairs.recordConflict({
          ...conflictRecord(ctx, d.pair, d.decision.settled.kind),
          settled: { by: d.decision.settled.by, losingData: d.pair.target?.data ?? null },
        });
      }
      entries.push({
        originId: d.pair.originId,
        action: 'delete',
        reason: `In the register: ${reasonOf(d.decision)}`,
      });
      if (d.pair.contract && d.pair.originId) states.push(tombstone(d.pair.contract, d.pair.originId, ctx));
    }
  }
  if (srcDeletes.length > 0) {
    const answers = await ports.writeBack.port.delete(
      srcDeletes.map((d) => ({
        originId: keyOf(d.pair),
        targetId: d.pair.originId!,
        origin: { ...ctx.origin, systemId: 'register' },
      })),
      policy,
    );
    const marked =
      policy === 'soft'
        ? await ports.writeBack
            .readBack(srcDeletes.flatMap((d) => (d.pair.originId ? [d.pair.originId] : [])))
            .catch(() => new Map<string, Record<string, unknown>>())
        : new Map<string, Record<string, unknown>>();
    for (const answer of answers) {
      const d = byKey.get(answer.originId);
      if (!d) continue;
      if (!answer.ok) {
        refused(d, 'The source refused the deletion', answer);
        continue;
      }
      tally.source.deleted += 1;
      if (d.decision.do === 'delete-source' && d.decision.settled) {
        tally.settled += 1;
        await ports.pairs.recordConflict({
          ...conflictRecord(ctx, d.pair, d.decision.settled.kind),
          settled: { by: d.decision.settled.by, losingData: d.pair.mapped },
        });
      }
      entries.push({
        originId: d.pair.originId,
        action: 'delete',
        reason: `At the source: ${reasonOf(d.decision)}`,
      });
      if (d.pair.contract && d.pair.originId) {
        const still = marked.get(d.pair.originId);
        const tomb = tombstone(d.pair.contract, d.pair.originId, ctx);
        states.push(
          still ? { ...tomb, originHash: hashObject(still, ctx.hashFields), originData: still } : tomb,
        );
      }
    }
  }

  await ports.pairs.save(states);
  if (agreed.length > 0) await ports.pairs.closeAgreed(agreed, ctx.runId);
  const createdAtSource = [...written.values()].filter((w) => w.create).map((w) => w.sourceId);
  return { tally, entries, createdAtSource };
}

function conflictRecord(
  ctx: TwoWayContext,
  pair: Pair,
  kind: 'both-changed' | 'source-deleted' | 'target-deleted',
) {
  const dates = updatedAtOf(ctx, pair);
  return {
    originId: pair.originId ?? keyOf(pair),
    targetId: pair.target?.id ?? pair.contract?.targetId ?? null,
    kind,
    runId: ctx.runId,
    baseData: pair.contract?.targetData ?? null,
    sourceData: pair.source,
    sourceMapped: pair.mapped,
    targetData: pair.target?.data ?? null,
    sourceHash: pair.sourceHash,
    targetHash: pair.target?.hash ?? null,
    sourceUpdatedAt: dates.source,
    targetUpdatedAt: dates.target,
  };
}
