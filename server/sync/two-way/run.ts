// A two-way run, as durable steps (plain JSON results, never objects):
//   resolutions  — conflicts a person resolved are written to both sides first;
//   plan         — may this run delete at the source (the threshold hold, counted before any page);
//   page-N       — the source listed page by page, each object paired with its register object and
//                  decided (core/decide.ts);
//   after a COMPLETE listing only:
//   gone-N       — contracts whose source object was not listed: deleted at the source;
//   unlinked-N   — register objects no contract links to: seed 000's "only on the target";
//   finish       — the result, in words, per side.
import { hashValue } from '../core/canonical-json';
import type { EngineSettings } from '../core/one-way';
import { planDeletions } from '../core/deletions';
import { identifyObjects, listedIds, markRepeats, countUnidentified } from '../core/ids';
import { applyMapping } from '../core/mapping/apply';
import { prepare } from '../core/prepare';
import { inHeldTypes } from '../core/two-way/held-types';
import type { ListingOutcome } from '../core/pagination/types';
import { summariseFailure, type RunSummary } from '../core/run-result';
import { endTimeline, pageTimeline, timedNext } from '../core/timeline';
import type { ContractStore, RunEntry, RunRecorder, SourcePort, StepRunner, TimelineEvent } from '../ports';
import type { PairContract } from './pair-store';
import { countsOf, summarise, type Totals } from './summary';
import { carryOut, decide, type Pair, type TwoWayContext, type TwoWayPorts } from './pairs';
import { addTally, emptyTally, type SideTally } from './tally';
import type { RegisterObject, RegisterSide } from './register-side';
import { matchesFor, outstandingCreatesFor } from './page-pairing';

export interface TwoWayRunInput {
  readonly source: SourcePort<unknown>;
  readonly ctx: TwoWayContext;
  readonly ports: TwoWayPorts & {
    readonly contracts: ContractStore;
    readonly side: RegisterSide;
    readonly recorder: RunRecorder;
    /** Counts for the threshold hold: register objects gone from under a contract, and unlinked ones. */
    readonly countTargetGone: () => Promise<number>;
    readonly countUnlinked: () => Promise<number>;
  };
  readonly idField: string;
  readonly settings: EngineSettings;
  readonly holdAboveShare: number;
  readonly sourceDisabled: boolean;
  /** One object (a webhook, a re-sync): compared and written, and nothing is learnt about deletions. */
  readonly single?: boolean;
  /**
   * A hub's fan-out: only these register objects, and the source objects their contracts link (read by
   * id), are compared; deletions are learnt for them alone.
   */
  readonly selection?: { readonly registerIds: readonly string[]; readonly originIds: readonly string[] };
  /** Applies the conflicts people resolved (resolutions.ts). */
  readonly applyResolutions: () => Promise<SideTally>;
}

type Swept = { tally: SideTally; last: string | null };
const BATCH = 200;

export async function runTwoWay(input: TwoWayRunInput, step: StepRunner): Promise<RunSummary> {
  const { ctx, ports } = input;
  const finish = async (summary: RunSummary) => {
    await step.run('finish', async () => {
      await ports.recorder.finish(summary);
      return summary;
    });
    return summary;
  };
  if (input.sourceDisabled)
    return finish(
      summariseFailure('The source is disabled: nothing was read, written or deleted.', ctx.mode),
    );

  let tally = ctx.mode.test ? emptyTally() : await step.run('resolutions', input.applyResolutions);
  const total = await step.run('plan', async () => ({
    active: await ports.contracts.countActive({ before: ctx.checkedAt }),
    gone: await ports.countTargetGone(),
  }));
  // The register is Concord's own: what it no longer holds is known for certain, so the share of
  // deletions at the source is planned before the pages, under the same hold as every deletion.
  const sourceDeletes = deletionsAllowed(input, total.gone, total.active, { complete: true, pages: 0 }, 0);

  let from: unknown = null;
  let pages = 0;
  let totals: Totals = { found: 0, invalid: 0, filtered: 0, unidentified: 0 };
  let outcome: ListingOutcome | null = null;
  while (outcome === null) {
    const cursor = from;
    const result = await step.run(`page-${pages + 1}`, async () => {
      const listing = input.source.pages(cursor);
      try {
        const { first, read } = await timedNext(listing);
        if (first.done) {
          await ports.recorder.entries(`page-${pages + 1}`, [], endTimeline(first.value, read));
          return { kind: 'end' as const, outcome: first.value };
        }
        const page = first.value;
        const done = await twoWayPage(input, { ...page, timeline: pageTimeline(page, read) }, sourceDeletes);
        const total = page.total === undefined ? {} : { total: page.total };
        return { kind: 'page' as const, ...done, ...total, then: page.then };
      } finally {
        await listing.return(undefined as never);
      }
    });
    if (result.kind === 'end') {
      outcome = result.outcome;
      break;
    }
    pages += 1;
    tally = addTally(tally, result.tally);
    totals = {
      found: totals.found + result.totals.found,
      invalid: totals.invalid + result.totals.invalid,
      filtered: totals.filtered + result.totals.filtered,
      unidentified: totals.unidentified + result.totals.unidentified,
      repeated: (totals.repeated ?? 0) + (result.totals.repeated ?? 0),
    };
    const total = 'total' in result ? { total: result.total } : {};
    await ports.recorder.progress({ pagesFetched: pages, counts: countsOf(tally, totals), ...total });
    if (result.then.kind === 'end') outcome = result.then.outcome;
    else from = result.then.cursor;
  }

  // Only a complete listing says what the source no longer has.
  // A repeat across pages means the list shifted while it was read (RunCounts.repeated): others may be left out.
  if (outcome.complete && totals.unidentified === 0 && (totals.repeated ?? 0) === 0 && !input.single) {
    const targetOnlyDeletes = ctx.twoWay.targetOnly === 'delete';
    const only = input.selection ? input.selection.originIds : null;
    const registerPlan = await step.run('plan-deletions', async () => ({
      unseen: await ports.contracts.countUnseen({ runId: ctx.runId, onlyOriginIds: only }),
      unlinked: targetOnlyDeletes ? await ports.countUnlinked() : 0,
    }));
    const registerDeletes = deletionsAllowed(
      input,
      registerPlan.unseen + registerPlan.unlinked,
      total.active,
      outcome,
      totals.unidentified,
    );
    const allow = { register: registerDeletes, source: sourceDeletes };
    let after: string | null = null;
    for (let n = 1; ; n++) {
      const start: string | null = after;
      const done: Swept = await step.run(`gone-${n}`, () => gonePage(input, start, allow, only));
      tally = addTally(tally, done.tally);
      if (done.last === null) break;
      after = done.last;
    }
    if (ctx.twoWay.targetOnly !== 'leave') {
      after = null;
      for (let n = 1; ; n++) {
        const start: string | null = after;
        const done: Swept = await step.run(`unlinked-${n}`, () => unlinkedPage(input, start, allow));
        tally = addTally(tally, done.tally);
        if (done.last === null) break;
        after = done.last;
      }
    }
  }
  return finish(summarise(ctx, tally, totals, outcome, pages, input.holdAboveShare, input.single === true));
}

/** May this run delete `candidates` of `active` contracts' objects (the hold of safety rule 2)? */
function deletionsAllowed(
  input: TwoWayRunInput,
  candidates: number,
  active: number,
  outcome: ListingOutcome,
  unidentified: number,
): boolean {
  if (candidates === 0) return true;
  const plan = planDeletions({
    outcome,
    mode: input.ctx.mode,
    sourceDisabled: false,
    settings: {
      policy: input.ctx.deletionPolicy,
      restrictDeletion: null,
      holdAboveShare: input.holdAboveShare,
    },
    candidates,
    total: active,
    unidentified,
  });
  return plan.kind === 'apply' || (plan.kind === 'preview' && !plan.wouldHold);
}

async function twoWayPage(
  input: TwoWayRunInput,
  page: { number: number; objects: readonly unknown[]; timeline: readonly TimelineEvent[] },
  sourceDeletes: boolean,
): Promise<{ tally: SideTally; totals: Totals }> {
  const { ctx, ports, settings } = input;
  const identified = identifyObjects(page.objects, input.idField, undefined, page.number);
  const ids = identified.flatMap((item) => (item.ok ? [item.originId] : []));
  const lookup = ids.length
    ? await ports.contracts.lookup({ runId: ctx.runId, page: page.number, originIds: ids })
    : { contracts: [], seenInRun: [] };
  const items = markRepeats(identified, new Set(lookup.seenInRun));
  const contracts = await ports.pairs.byOriginIds(ids);
  const open = await ports.pairs.openConflicts(ids);
  const live = (c: PairContract | undefined) => (c && c.status !== 'deleted' ? c : undefined);
  const targets = await ports.side.byIds(
    [...contracts.values()].flatMap((c) => (live(c) && c.targetId ? [c.targetId] : [])),
  );
  const matches = await matchesFor(input, items, contracts);
  const earlier = await outstandingCreatesFor(input, items, contracts);

  const entries: RunEntry[] = [];
  const totals: Totals = {
    found: page.objects.length,
    invalid: 0,
    filtered: 0,
    unidentified: countUnidentified(identified),
    repeated: items.filter((item, i) => !item.ok && identified[i]?.ok === true).length,
  };
  const decided = [];
  const claimed = new Set<string>();
  for (const item of items) {
    if (!item.ok) {
      totals.invalid += 1;
      entries.push({ originId: item.originId, action: 'invalid', reason: item.reason });
      continue;
    }
    const { originId, object } = item;
    const invalid = (reason: string) => {
      totals.invalid += 1;
      entries.push({ originId, action: 'invalid', reason });
    };
    // The source side made ready as a pull makes it: left out by the conditions, unusable, or hashed.
    const prepared = prepare(object, settings);
    if ('leftOut' in prepared) {
      if (prepared.leftOut === 'filtered') totals.filtered += 1;
      else invalid(prepared.reason);
      continue;
    }
    const sourceHash = prepared.hash;
    let mapped = object;
    if (settings.mapping) {
      const outcome = applyMapping(settings.mapping, object);
      if (!outcome.ok) {
        invalid(`Mapping failed: ${outcome.errors.map((e) => `${e.key}: ${e.message}`).join('; ')}`);
        continue;
      }
      mapped = outcome.value;
    }
    const contract = contracts.get(originId) ?? null;
    let target: RegisterObject | null = null;
    let matched = false;
    const linked = live(contract ?? undefined);
    if (linked?.targetId) target = targets.get(linked.targetId) ?? null;
    else if (matches) {
      const found = matches.candidates(object).filter((candidate) => !claimed.has(candidate.id));
      if (found.length > 1) {
        invalid(
          `${found.length} register objects have ${ctx.twoWay.match!.target} = ${JSON.stringify(matches.valueOf(object))}: ` +
            'none was linked and nothing was created. Remove the duplicates in the register, then run again.',
        );
        continue;
      }
      if (found[0]) {
        target = found[0];
        matched = true;
        claimed.add(target.id);
      }
    }
    // The object an earlier create made at the source without an answer naming it: paired with the
    // register object it came from, neither copied into the register nor sent again.
    const made = !target && !linked?.targetId ? earlier?.find(object, claimed) : undefined;
    if (made) {
      target = made;
      matched = true;
      claimed.add(made.id);
      entries.push({
        originId,
        action: 'create',
        reason:
          'At the source: created by an earlier run from this register object (no answer named the id the ' +
          'source gave it); found in the listing holding what was sent, and linked — not created again.',
      });
    }
    // In the register's types: a value the register holds as the same value in another type (2 and '2',
    // 9.5 and '9.50') is kept as it holds it, so a side that stores values its own way compares equal
    // and never writes its types over the register's (core/two-way/held-types.ts).
    if (target) mapped = inHeldTypes(mapped, target.data) as Record<string, unknown>;
    const pair: Pair = {
      originId,
      source: object,
      sourceHash,
      mapped,
      mappedHash: hashValue(mapped),
      contract,
      target,
      matched,
      inConflict: open.has(originId),
    };
    decided.push({ pair, decision: decide(ctx, pair) });
  }
  const seen = listedIds(items);
  if (seen.length > 0)
    await ports.contracts.markSeen({ runId: ctx.runId, page: page.number, originIds: seen });
  const done = await carryOut(ctx, ports, decided, page.number, { register: false, source: sourceDeletes });
  await ports.recorder.entries(`page-${page.number}`, [...entries, ...done.entries], page.timeline);
  return { tally: done.tally, totals };
}

/** Contracts whose source object the listing did not hold: deleted at the source. */
async function gonePage(
  input: TwoWayRunInput,
  after: string | null,
  allow: { register: boolean; source: boolean },
  only: readonly string[] | null,
): Promise<{ tally: SideTally; last: string | null }> {
  const { ctx, ports } = input;
  const unseen = await ports.contracts.listUnseen({
    runId: ctx.runId,
    onlyOriginIds: only,
    after,
    limit: BATCH,
  });
  if (unseen.length === 0) return { tally: emptyTally(), last: null };
  const ids = unseen.map((c) => c.originId);
  const contracts = await ports.pairs.byOriginIds(ids);
  const open = await ports.pairs.openConflicts(ids);
  const targets = await ports.side.byIds(unseen.flatMap((c) => (c.targetId ? [c.targetId] : [])));
  const decided = [...contracts.values()].map((contract) => {
    const pair: Pair = {
      originId: contract.originId,
      source: null,
      sourceHash: null,
      mapped: null,
      mappedHash: null,
      contract,
      target: contract.targetId ? (targets.get(contract.targetId) ?? null) : null,
      inConflict: open.has(contract.originId),
    };
    return { pair, decision: decide(ctx, pair) };
  });
  const done = await carryOut(ctx, ports, decided, 0, allow);
  // An object the source got again under a new id (target wins over a deletion) is not "gone" later on.
  if (done.createdAtSource.length > 0)
    await ports.contracts.markSeen({ runId: ctx.runId, page: 0, originIds: done.createdAtSource });
  await ports.recorder.entries(`gone-${after ?? 'start'}`, done.entries);
  return { tally: done.tally, last: ids[ids.length - 1] ?? null };
}

/** Register objects no contract links to (seed 000's first scenario): the policy decides. */
async function unlinkedPage(
  input: TwoWayRunInput,
  after: string | null,
  allow: { register: boolean; source: boolean },
): Promise<{ tally: SideTally; last: string | null }> {
  const { ctx, ports } = input;
  const objects = await ports.side.unlinked(after, BATCH, input.selection?.registerIds);
  if (objects.length === 0) return { tally: emptyTally(), last: null };
  const decided = objects.map((target) => {
    const pair: Pair = {
      originId: null,
      source: null,
      sourceHash: null,
      mapped: null,
      mappedHash: null,
      contract: null,
      target,
    };
    return { pair, decision: decide(ctx, pair) };
  });
  const done = await carryOut(ctx, ports, decided, 0, allow);
  if (done.createdAtSource.length > 0)
    await ports.contracts.markSeen({ runId: ctx.runId, page: 0, originIds: done.createdAtSource });
  await ports.recorder.entries(`unlinked-${after ?? 'start'}`, done.entries);
  return { tally: done.tally, last: objects[objects.length - 1]?.id ?? null };
}
