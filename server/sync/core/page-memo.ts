// The page memo (issue 14): a listing's page read again with exactly the objects it held last time is
// decided without hashing its objects or loading its contracts.
//
// What makes it sound: an object's origin hash is a pure function of the object (canonical-json.ts),
// and a page's digest tells two pages apart whenever their objects differ: a REST page's is that of its
// answer's text with everything the objects were taken from it by (sources/answer-digest.ts, the
// listing's results position), and it describes only the array it came with (PageDigest); any other
// page's is that of JSON.stringify of its objects (which serialises the same JSON values as canonical
// JSON; only key order differs, and a different order only makes the digests differ — the safe side).
// So a page whose objects digest as last time has the hashes the memo holds. The contracts are asked
// exactly what the skip rule asks of each (stores/page-memos.ts, tested against the engine) — or, when
// none of the synchronisation's contracts was written since they last all answered yes, not asked again
// (the memo's stamp). A page all of whose objects would be skipped with nothing to write is counted as
// skipped and listed, and that is all; any other page goes the whole way (run-page.ts).
import * as crypto from 'node:crypto';
import { isStoredHash } from './canonical-json';
import type { ConditionsRule } from './conditions';
import type { Decision, EngineSettings, RunMode } from './one-way';
import { decidePaced, type Pace } from './paced';
import { prepare, type Prepared } from './prepare';
import type { ContractStore, SkipCheck, TimelineEvent } from '../ports';
import type { IdentifiedItem } from './ids';
import type { PageTracking } from './incremental/window';
import type { AnswerFacts, PageDigest, Recall, RecalledPage } from './pagination/types';
import type { SubObjectSettings } from './sub-objects';

// Part of every memo's key: raised whenever hashing, identifying, the conditions, what a memo holds,
// how a body is parsed (http/body.ts, formats/xml.ts, the nesting limit) or what the listing reads of
// it (pagination/answer-facts.ts) change meaning, so a memo written by an older version is never taken
// for one of this version. (2: a REST answer's digest is taken before parsing, and a memo keeps the
// answer's facts and the page's ids. Memos of other sources did not change, but are written once more.)
// A recalled answer that reads otherwise all the same (a parser's new version) has its memo forgotten
// (run-page.ts).
const MEMO_VERSION = 2;

/** What a page's check asks of the contract store (ContractStore.cleanPage). */
export interface PageCheck {
  readonly runId: string;
  readonly page: number;
  /** The page's origin ids, in the page's order, each once. */
  readonly originIds: readonly string[];
  readonly digest: string;
  readonly key: string;
  /** The later of the synchronisation's and its mapping's last edit: a contract must be checked after it. */
  readonly editedAt: Date;
  /** This run's start: a contract checked at it was written by this run, which counts it differently. */
  readonly checkedAt: Date;
}

/**
 * `memo`: whether the store holds this very page (same digest and key) — if not, the page's hashes are
 * worth remembering once it is decided. `clean`: every object on it would be skipped with nothing to write.
 */
export interface PageCheckAnswer {
  readonly memo: 'same' | 'other';
  readonly clean: boolean;
}

/**
 * A page's memo to store: its digest, key and the origin hash of each object, in the page's order — and
 * the page's origin ids, the edit its contracts were decided after and the run, by which the store
 * stamps the memo when every contract is clean (stores/page-memos.ts). With `answer` (what the listing
 * read of a REST answer besides its objects) the store keeps the facts and ids, so that the listing
 * need not parse the same answer again (ContractStore.recallPage).
 */
export interface PageMemo {
  readonly page: number;
  readonly digest: string;
  readonly key: string;
  readonly hashes: readonly string[];
  readonly originIds: readonly string[];
  readonly editedAt: Date;
  readonly runId: string;
  readonly answer?: AnswerFacts;
}

/** What the listing's recall asks of the contract store: the memo of this page, digest and key. */
export interface RecallRequest {
  readonly page: number;
  readonly digest: string;
  readonly key: string;
}

interface MemoRun {
  readonly runId: string;
  readonly idField: string;
  readonly settings: EngineSettings;
  readonly mode: RunMode;
  readonly subObjects?: readonly SubObjectSettings[];
  readonly configChangedAt: Date;
  readonly mappingChangedAt: Date | null;
  readonly checkedAt: Date;
}

/** A page's check against its memo, when the run and the page allow one; null when they do not. */
export async function checkMemo(
  store: Pick<ContractStore, 'cleanPage'>,
  run: MemoRun,
  page: { readonly number: number; readonly objects: readonly unknown[]; readonly digest?: PageDigest },
  identified: readonly IdentifiedItem[],
  tracking: PageTracking | null,
): Promise<{ check: PageCheck; answer: PageCheckAnswer } | null> {
  if (!store.cleanPage) return null;
  const key = memoKey(run, tracking);
  const originIds = key === null ? null : checkableIds(identified);
  const digest = originIds && originIds.length > 0 ? pageDigest(page.objects, page.digest) : null;
  if (key === null || originIds === null || digest === null) return null;
  const check = pageCheck(run, page.number, { originIds, digest, key });
  return { check, answer: await store.cleanPage(check) };
}

/**
 * The listing's recall for a run whose pages may be decided from their memos (SourcePort.pages): the
 * facts of an answer its page's memo knows. None for a run without memos or a store that keeps no facts.
 */
export function recallFor(
  store: Pick<ContractStore, 'recallPage'>,
  run: MemoRun,
  tracking: PageTracking | null,
): Recall | undefined {
  const key = memoKey(run, tracking);
  const recallPage = store.recallPage?.bind(store);
  if (key === null || !recallPage) return undefined;
  return (page, digest) => recallPage({ page, digest: sourceDigest(digest), key });
}

/**
 * The check of a page whose answer its memo recognised (SourcePage.recalled): the very check checkMemo
 * makes of the page's objects — the same ids, read by the same key, and the same digest — without them.
 */
export async function checkRecalled(
  store: Pick<ContractStore, 'cleanPage'>,
  run: MemoRun,
  page: { readonly number: number; readonly recalled: RecalledPage },
  tracking: PageTracking | null,
): Promise<{ check: PageCheck; answer: PageCheckAnswer } | null> {
  const key = memoKey(run, tracking);
  const { ids, digest } = page.recalled;
  if (!store.cleanPage || key === null || ids.length === 0) return null;
  const check = pageCheck(run, page.number, { originIds: ids, digest: sourceDigest(digest), key });
  return { check, answer: await store.cleanPage(check) };
}

function pageCheck(
  run: MemoRun,
  page: number,
  memo: { readonly originIds: readonly string[]; readonly digest: string; readonly key: string },
): PageCheck {
  const editedAt = Math.max(run.configChangedAt.getTime(), run.mappingChangedAt?.getTime() ?? 0);
  return { runId: run.runId, page, ...memo, editedAt: new Date(editedAt), checkedAt: run.checkedAt };
}

/**
 * The memo key of a run, or null when no page of it can be decided from a memo: a dry run or a forced
 * one, hashes over some fields only (the contract then keeps the object's other fields, a write), sub-
 * objects (decided with their parents), or an incremental run (which tracks its pages' update times).
 */
export function memoKey(run: MemoRun, tracking: PageTracking | null): string | null {
  if (run.mode.test || run.mode.force || tracking !== null) return null;
  if (run.settings.hashFields !== null || (run.subObjects?.length ?? 0) > 0) return null;
  const conditions: ConditionsRule = run.settings.conditions;
  return sha256Hex(JSON.stringify([MEMO_VERSION, run.idField, conditions ?? null]));
}

/**
 * The digest of a page's objects: the source's own (SourcePage.digest: a REST answer's text) when it
 * describes these very objects, or else their JSON; null when they cannot be serialised (a BigInt, a
 * cycle). Each kind has its prefix, so the two never meet.
 */
export function pageDigest(objects: readonly unknown[], source?: PageDigest): string | null {
  if (source && source.of === objects) return sourceDigest(source.value());
  try {
    return `o:${sha256Hex(JSON.stringify(objects))}`;
  } catch {
    return null;
  }
}

const sourceDigest = (value: string) => `s:${value}`;

/**
 * The ids a page check asks about: every object's, in the page's order — or null when an object has no
 * usable id or one repeats on the page (the whole way counts those).
 */
export function checkableIds(items: readonly IdentifiedItem[]): string[] | null {
  const ids: string[] = [];
  const seen = new Set<string>();
  for (const item of items) {
    if (!item.ok || seen.has(item.originId)) return null;
    seen.add(item.originId);
    ids.push(item.originId);
  }
  return ids;
}

/**
 * Each object's origin hash as the page's decisions found it, in the page's order; null when one of them
 * has none (left out by the conditions, unusable): such a page can never be decided from its memo.
 */
export function decidedHashes(decisions: readonly Decision[]): string[] | null {
  const hashes: string[] = [];
  for (const decision of decisions) {
    const hash = decidedHash(decision);
    if (hash === null) return null;
    hashes.push(hash);
  }
  return hashes;
}

function decidedHash(decision: Decision | undefined): string | null {
  let hash: string | null;
  if (decision?.action === 'create' || decision?.action === 'update') hash = decision.originHash;
  // A skip's contract holds the object's hash: the skip rule found them equal, or the contract took it.
  else if (decision?.action === 'skip') hash = decision.contract.originHash;
  else return null;
  return hash !== null && isStoredHash(hash) ? hash : null;
}

/**
 * A page its memo could not decide (one changed object makes a page of a thousand differ), made ready
 * for its lookup: its objects prepared first (by their place on the page; the decisions take them as
 * they are), and with their hashes the lookup's skip check, so that it answers in full only the
 * contracts that would not skip theirs with nothing to write (ContractStore.lookup). Null without a
 * memo check: the run or the page has no memos (sub-objects among the reasons: decided by their
 * parents' places among the decisions, which the clean objects would leave out).
 */
export async function lookupSkipCheck(
  memo: { readonly check: PageCheck } | null,
  items: readonly IdentifiedItem[],
  settings: EngineSettings,
  pace?: Pace,
): Promise<{ prepared: Prepared[]; skipCheck: SkipCheck } | null> {
  if (!memo) return null;
  const usable = items.filter((item) => item.ok);
  // A turn for the rest of the process between objects, as while deciding them (paced.ts): the
  // conditions and the hashing of a page of large objects add up.
  const ready = await decidePaced(usable, pace, (batch) =>
    batch.map((item) => prepare(item.object, settings)),
  );
  const prepared: Prepared[] = [];
  usable.forEach((item, k) => {
    prepared[item.index] = ready[k]!;
  });
  const hashes = ready.map((r) => ('hash' in r ? r.hash : null));
  const { editedAt, checkedAt } = memo.check;
  return { prepared, skipCheck: { hashes, editedAt, checkedAt } };
}

/** The items the run decides: all but those the lookup found clean (a repeat is decided as one). */
export function undecided(
  items: readonly IdentifiedItem[],
  clean: ReadonlySet<string>,
): readonly IdentifiedItem[] {
  return clean.size === 0 ? items : items.filter((item) => !(item.ok && clean.has(item.originId)));
}

/**
 * decidedHashes of a page some of whose objects the lookup found clean and the run did not decide (their
 * hash is the one they were checked with): every object's, in the page's order, or null.
 */
export function pageHashes(
  items: readonly IdentifiedItem[],
  decisions: readonly Decision[],
  clean: ReadonlySet<string>,
  prepared: readonly Prepared[],
): string[] | null {
  if (clean.size === 0) return decidedHashes(decisions);
  const hashes: string[] = [];
  let next = 0;
  for (const item of items) {
    let hash: string | null;
    if (item.ok && clean.has(item.originId)) {
      const ready = prepared[item.index];
      hash = ready && 'hash' in ready && isStoredHash(ready.hash) ? ready.hash : null;
    } else hash = decidedHash(decisions[next++]);
    if (hash === null) return null;
    hashes.push(hash);
  }
  return hashes;
}

/**
 * The page's line of the run's timeline saying that it was decided from its memo, so that whoever reads
 * the log knows why nothing on it was looked at more closely.
 */
export function memoTimeline(timeline: readonly TimelineEvent[], page: number): TimelineEvent[] {
  return timeline.map((line) =>
    line.kind === 'page' && line.page === page && line.detail === undefined
      ? { ...line, detail: DECIDED_FROM_MEMO }
      : line,
  );
}

export const DECIDED_FROM_MEMO =
  'Unchanged since it was last read, and so were its contracts: every object skipped (page memo)';

function sha256Hex(text: string): string {
  return crypto.createHash('sha256').update(text).digest('hex');
}
