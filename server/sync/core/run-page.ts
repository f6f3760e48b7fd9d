// Processes one page through the ports: one contract lookup → decisions → target writes (none in test
// mode) → contract upserts → counts. syncNextPage (page-step.ts) wraps it as the body of one durable step.
// Sub-objects ride along: looked up in the same call, decided after their parents, written after them,
// and counted with the page's objects (found, created, updated… include children).
import type { ChangeOrigin, ContractStore, RunEntry, RunRecorder, TargetPort, TimelineEvent } from '../ports';
import type { ContractState } from './contracts';
import { decidePage, type DecisionAction, type EngineSettings, type RunMode } from './one-way';
import { countUnidentified, identifyObjects, listedIds, markRepeats, type IdentifiedItem } from './ids';
import { pageFacts, retriedIds } from './incremental/facts';
import type { CursorFacts, PageTracking } from './incremental/window';
import type { AnswerFacts, PageDigest, RecalledPage, UnreadableRecord } from './pagination/types';
import { decidePaced, type Pace } from './paced';
import { foreseeRefusals, writeInOrder } from './page-writes';
import { checkMemo, checkRecalled, lookupSkipCheck, memoTimeline, pageHashes, undecided } from './page-memo';
import { ZERO_COUNTS, type RunCounts } from './run-result';
import { childOriginIds, decideChildren, identifyChildren } from './sub-object-decisions';
import type { SubObjectSettings } from './sub-objects';
import { leftWithContract, settle } from './settle';
import { unreadableTally } from './unreadable';
import { refusedTally, type RefusedObject } from './refused';
import { writeRetryLines } from './timeline';

export interface EnginePorts {
  readonly contracts: ContractStore;
  readonly target: TargetPort;
  readonly recorder: RunRecorder;
}

/** Everything about the run the engine needs; built once when the run starts. */
export interface RunContext {
  readonly runId: string;
  readonly syncId: string;
  readonly idField: string;
  readonly settings: EngineSettings;
  readonly mode: RunMode;
  readonly configChangedAt: Date;
  readonly mappingChangedAt: Date | null;
  /** When the run loaded its configuration (see skip-rule.ts). */
  readonly checkedAt: Date;
  readonly origin: ChangeOrigin;
  /** Nested objects synchronised with contracts of their own (none when absent). */
  readonly subObjects?: readonly SubObjectSettings[];
  readonly now?: () => Date;
  /** Asked between objects while a page is decided, so a slow mapping does not hold the process (paced.ts). */
  readonly pace?: Pace;
  /**
   * The objects were handed to the run (a pushed batch, a webhook's object), not listed: a failed
   * delivery is sent again in a new run, so creates carry a key of their own that every run shares
   * (TargetCreate.resendKey).
   */
  readonly handedOver?: boolean;
}

/** `timeline`: the page's lines of the run's timeline, written with its entries. */
type PageInput = {
  readonly number: number;
  readonly objects: readonly unknown[];
  readonly timeline?: readonly TimelineEvent[];
  /** The source's digest of the page's objects (SourcePage.digest), for its memo. */
  readonly digest?: PageDigest;
  /** What the listing read of the page's answer besides its objects (SourcePage.answer), for its memo. */
  readonly answer?: AnswerFacts;
  /** Set when the listing recognised the page's answer (SourcePage.recalled): `objects` parses it. */
  readonly recalled?: RecalledPage;
  /** Records of the page the source could not read (SourcePage.unreadable). */
  readonly unreadable?: readonly UnreadableRecord[];
  /** Objects the source refused to hand over, each with its id and reason (SourcePage.refused). */
  readonly refused?: readonly RefusedObject[];
};

export async function syncPage(ports: EnginePorts, context: RunContext, page: PageInput) {
  return (await processPage(ports, context, page, null)).counts;
}

/**
 * What became of one object of a page, by its place on it: what it added to the page's counts, the
 * decision it had and its log entry's reason. The page's counts are the sum of these (children aside),
 * so an answer built from them cannot say otherwise than the counts and the log.
 */
export interface PlacedOutcome {
  readonly index: number;
  /** Null when the object has no usable id. */
  readonly originId: string | null;
  readonly count: keyof RunCounts;
  /** Null for an object the lookup's skip check found clean: skipped without being decided. */
  readonly action: DecisionAction | null;
  readonly reason: string | null;
  /** A repeat of an id listed before it in the run: that id's contract is not this object's. */
  readonly repeat: boolean;
}

/** syncPage, also telling what the page saw of the updated-at field when the run tracks one. */
export async function processPage(
  ports: EnginePorts,
  context: RunContext,
  page: PageInput,
  tracking: PageTracking | null,
  /**
   * `report`: also tell what became of each object of the page (`objects`, in the page's order) — not
   * given for a page its memo decides whole, which is not decided object by object.
   */
  options: { readonly memo?: boolean; readonly report?: boolean } = {},
): Promise<{ counts: RunCounts; facts: CursorFacts | null; objects?: readonly PlacedOutcome[] }> {
  const { runId, mode } = context;
  const now = context.now?.() ?? new Date();
  // A page whose answer the listing recognised is checked by its memo's ids: its body is parsed (by
  // `page.objects`) only when the check does not decide it.
  const recalled =
    options.memo && page.recalled
      ? await checkRecalled(
          ports.contracts,
          context,
          { number: page.number, recalled: page.recalled },
          tracking,
        )
      : null;
  if (recalled?.answer.clean) return decidedFromMemo(ports, page, recalled.check.originIds, context.runId);
  const unreadable = unreadableTally(page.unreadable);
  const refused = refusedTally(page.refused);
  const identified = identifyObjects(await objectsOf(ports, page), context.idField, undefined, page.number);
  const memo =
    recalled ?? (options.memo ? await checkMemo(ports.contracts, context, page, identified, tracking) : null);
  if (memo?.answer.clean) return decidedFromMemo(ports, page, memo.check.originIds, context.runId);
  const groups = identifyChildren(identified, context.subObjects ?? []);
  const ids = identified.flatMap((item) => (item.ok ? [item.originId] : []));
  if (groups.length > 0) ids.push(...childOriginIds(groups));
  // A page its memo could not decide: only the objects whose contracts are not clean are decided.
  const ready =
    groups.length === 0 ? await lookupSkipCheck(memo, identified, context.settings, context.pace) : null;
  const request = { runId, page: page.number, originIds: ids, skipCheck: ready?.skipCheck };
  const lookup = ids.length > 0 ? await ports.contracts.lookup(request) : null;
  const contracts = new Map((lookup?.contracts ?? []).map((contract) => [contract.originId, contract]));
  const clean = new Set(lookup?.clean ?? []);
  const listedBefore = new Set(lookup?.seenInRun ?? []);
  // An incremental run may meet an object again on a later page (it changed and moved while the run
  // read): a re-read, not a duplicate; its contract from the first reading decides.
  const rereads = tracking?.window.kind === 'incremental' ? listedBefore : null;
  const seenEarlier = rereads ? new Set<string>() : listedBefore;
  const items = markRepeats(identified, seenEarlier);
  // Ids an earlier page held (not repeats within this page): the listing shifted (RunCounts.repeated).
  let repeated = 0;
  for (let i = 0; i < items.length; i++) if (!items[i]!.ok && identified[i]!.ok) repeated++;
  const toDecide = undecided(items, clean);
  const decisions = await decidePaced(toDecide, context.pace, (batch) =>
    decidePage(batch, contracts, context, ready?.prepared),
  );
  const children = await decideChildren(groups, { items, decisions }, contracts, seenEarlier, context);

  // Children are written after their parents, so a target that links them finds the parent first.
  const rounds = [decisions, children.decisions];
  const written = mode.test ? null : await writeInOrder(ports.target, rounds, context, page.number);
  const answers = written?.answers ?? null;
  // A test run writes nothing, but still tells which objects the target would refuse as invalid.
  const foreseen = mode.test ? await foreseeRefusals(ports.target, rounds) : null;
  const states: ContractState[] = [];
  const entries: RunEntry[] = [];
  const found = page.objects.length + children.found + unreadable.found + refused.found;
  // The objects not decided were found clean by the skip check: each has its synced contract.
  const checked = items.length - toDecide.length;
  const withContract = mode.test ? 0 : checked;
  const counts: Tally = {
    ...ZERO_COUNTS,
    found,
    skipped: checked,
    invalid: unreadable.invalid + refused.invalid,
    withContract,
    ...(repeated > 0 ? { repeated } : {}),
  };
  // Children without an id count too, also those of a parent left alone: each may be a missing child.
  counts.unidentified =
    countUnidentified(identified) +
    groups.reduce((n, group) => n + countUnidentified(group.items), 0) +
    unreadable.unidentified;
  const times = { checkedAt: context.checkedAt, now, keepSent: context.settings.keepSentObjects ?? false };
  const all = children.decisions.length > 0 ? [...decisions, ...children.decisions] : decisions;
  // The page's own objects come first in `all`, their children after them.
  const placed = options.report ? new Map<number, Settled>() : null;
  let k = 0;
  entries.push(...unreadable.entries, ...refused.entries);
  for (const decision of all) {
    const outcome = settle(decision, answers, times, foreseen);
    // A re-read the run wrote on its first reading is counted there, not again.
    const reread = decision.action === 'skip' && decision.doneInThisRun && rereads?.has(decision.originId);
    const count = reread ? 'skipped' : outcome.count;
    counts[count] += 1;
    if (placed && k++ < decisions.length)
      placed.set(decision.index, { count, action: decision.action, reason: outcome.entry?.reason ?? null });
    if (!mode.test && leftWithContract(decision, outcome.state)) counts.withContract! += 1;
    // An unchanged object whose contract already says all there is writes nothing (issue 14): the run's
    // ledger records that it was listed, a row per page.
    if (decision.action === 'skip' && decision.onlyChecked) continue;
    if (outcome.state) states.push(outcome.state);
    if (outcome.entry) entries.push(outcome.entry);
  }

  if (!mode.test && states.length > 0) await ports.contracts.upsert(states, now);
  // After the contracts: a memo only ever saves work on a page whose contracts are stored.
  if (memo && memo.answer.memo !== 'same') {
    const hashes = pageHashes(items, decisions, clean, ready?.prepared ?? []);
    if (hashes)
      await ports.contracts.rememberPage?.({
        page: page.number,
        digest: memo.check.digest,
        key: memo.check.key,
        hashes,
        originIds: memo.check.originIds,
        editedAt: memo.check.editedAt,
        runId,
        ...(page.answer ? { answer: page.answer } : {}),
      });
  }
  const seen = listedIds(items);
  if (children.seen.length > 0) seen.push(...children.seen);
  if (refused.listed.length > 0) seen.push(...refused.listed);
  if (seen.length > 0) await ports.contracts.markSeen({ runId, page: page.number, originIds: seen });
  // The page's read, then the retries its writes needed (a target answering 503 before it took them).
  const timeline = written?.retries.length
    ? [...(page.timeline ?? []), ...writeRetryLines(page.number, written.retries)]
    : (page.timeline ?? []);
  await ports.recorder.entries(`page-${page.number}`, entries, timeline);
  const report = placed ? { objects: placedOutcomes(items, placed) } : {};
  if (!tracking) return { counts, facts: null, ...report };
  return {
    counts,
    facts: pageFacts(page.objects, items, tracking.field, retriedIds(all, answers), now.getTime()),
    ...report,
  };
}

type Tally = { -readonly [K in keyof RunCounts]: number };

type Settled = Pick<PlacedOutcome, 'count' | 'action' | 'reason'>;

/** Each object of the page with what its decision settled to; one not decided was found clean. */
function placedOutcomes(
  items: readonly IdentifiedItem[],
  placed: ReadonlyMap<number, Settled>,
): PlacedOutcome[] {
  return items.map((item) => ({
    index: item.index,
    originId: item.originId,
    ...(placed.get(item.index) ?? { count: 'skipped', action: null, reason: null }),
    repeat: !item.ok && item.duplicate === true,
  }));
}

/**
 * The page's objects. A recalled page whose body no longer reads as when its memo was kept (Concord
 * reading bodies otherwise since) fails its step, and its memo is forgotten: the page is read afresh
 * when the step or the run is tried again, instead of failing the same way each time.
 */
async function objectsOf(ports: EnginePorts, page: PageInput): Promise<readonly unknown[]> {
  if (!page.recalled) return page.objects;
  try {
    return page.objects;
  } catch (error) {
    await ports.contracts.forgetPage?.(page.number);
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`${reason}. Its memo is forgotten: the page is read afresh when it is tried again.`);
  }
}

/** A page every object of which would be skipped with nothing to write (page-memo.ts): listed by the check, counted. */
async function decidedFromMemo(ports: EnginePorts, page: PageInput, ids: readonly string[], runId: string) {
  const { entries, found, invalid, unidentified } = unreadableTally(page.unreadable);
  const refused = refusedTally(page.refused);
  // The memo's check listed the page's own ids; the contracts refused objects still own are listed here.
  if (refused.listed.length > 0)
    await ports.contracts.markSeen({ runId, page: page.number, originIds: refused.listed });
  await ports.recorder.entries(
    `page-${page.number}`,
    [...entries, ...refused.entries],
    memoTimeline(page.timeline ?? [], page.number),
  );
  const n = ids.length;
  const counts: RunCounts = {
    ...ZERO_COUNTS,
    found: n + found + refused.found,
    skipped: n,
    invalid: invalid + refused.invalid,
    unidentified,
  };
  return { counts: { ...counts, fromMemo: n, withContract: n }, facts: null };
}
