// The inputs and answers of the decision table (decide.ts): what goes in — the base, what each side
// holds now, the settings — and what comes out: what to do on each side. Read with decide.ts.
import type { ContractState } from './contracts';
import type { SkipBlocker } from './skip-rule';
import type { ConflictPolicy, TwoWaySettings } from './two-way/settings';
import type { WriteMode } from './write-mode';

// ── What goes in ─────────────────────────────────────────────────────────────────────────────────────

/** One side's object now. */
export interface SideNow {
  readonly hash: string;
  /** The side's updated-at value as read, for newer-wins (null: the side has none, or it is not read). */
  readonly updatedAt: unknown;
}

/** A source object that takes no part: left out by the conditions, or unusable (and why). */
export type LeftOut =
  { readonly leftOut: 'filtered' } | { readonly leftOut: 'invalid'; readonly reason: string };

/** The target side of a pull or push: never read. */
export const UNREAD = 'unread' as const;

/** Two-way: what the contract remembers of an object's last sync, per side. */
export interface PairBase {
  /** Hash of the source object as last synced (read back after Concord wrote it, where possible). */
  readonly sourceHash: string | null;
  /** Hash of the target object as last synced. */
  readonly targetHash: string | null;
  /** Hash of what Concord last wrote to the source: the source answering with exactly that is an echo. */
  readonly sourceWritten: string | null;
  /** The contract is a tombstone: both sides deleted the object. */
  readonly deleted: boolean;
}

/** Two-way: both sides listed. */
export interface PairInput {
  readonly base: PairBase | null;
  /** Null: the (complete) listing of the source does not hold it. */
  readonly source: SideNow | null;
  /** Null: the target does not hold it. */
  readonly target: SideNow | null;
  /** Both present, and the source's version (through the mapping) is what the target holds. */
  readonly same: boolean;
  readonly settings: TwoWaySettings;
}

/** What a pull or push would hand the target: its hash with the target's fingerprint, or why it cannot. */
export type Output =
  { readonly ok: true; readonly sentHash: string } | { readonly ok: false; readonly reason: string };

export interface OneWaySettings {
  /** Left out: upsert. */
  readonly writeMode?: WriteMode;
  /** Ignore the skip rule: write every object. */
  readonly force: boolean;
  readonly configChangedAt: Date;
  /** Null when the synchronisation uses no mapping. */
  readonly mappingChangedAt: Date | null;
  /** When this run loaded its configuration (the contract's sourceLastChecked; see skip-rule.ts). */
  readonly checkedAt: Date;
}

/** Pull or push, an object the source listed: the base is the contract itself. */
export interface OneWayInput {
  readonly base: ContractState | null;
  readonly source: SideNow | LeftOut;
  readonly target: typeof UNREAD;
  /**
   * What the target would be handed. Made only when a row needs it: mapping is the costly part of an
   * object, and most objects of most runs are unchanged.
   */
  readonly output: () => Output;
  readonly settings: OneWaySettings;
}

/** Pull or push, a contract whose object a complete listing did not hold. */
export interface OneWayGoneInput {
  readonly base: ContractState;
  readonly source: null;
  readonly target: typeof UNREAD;
}

export type DecideInput = PairInput | OneWayInput | OneWayGoneInput;

// ── What comes out: what to do on each side ──────────────────────────────────────────────────────────

export type ConflictKind = 'both-changed' | 'source-deleted' | 'target-deleted';

/** Which way a settled conflict went, and by which rule (for the log and the conflict's history). */
export interface Settled {
  readonly kind: ConflictKind;
  readonly by: Exclude<ConflictPolicy, 'manual'> | 'source-of-truth';
}

export type Why =
  | 'new-at-source'
  | 'source-changed'
  | 'target-changed'
  /** Neither side changed since they were last in step, yet they differ: the source of truth decides. */
  | 'apart'
  /**
   * Apart because the mapping was edited since they were last in step: the source's version through the
   * new mapping goes to the register, whichever side is the source of truth (two-way/pairs.ts).
   */
  | 'mapping-edited'
  | 'target-only'
  | 'source-deleted'
  | 'target-deleted'
  | 'reappeared'
  | 'conflict-settled';

/** A two-way decision. */
export type PairDecision =
  | { readonly do: 'nothing'; readonly why: 'unchanged' | 'both-gone' | 'left-alone' }
  /** Both sides hold the same content now: remember both as the new base, write nothing. */
  | { readonly do: 'rebase'; readonly why: 'identical-edits' | 'echo' | 'matched' }
  | { readonly do: 'to-target'; readonly create: boolean; readonly settled?: Settled; readonly why: Why }
  | { readonly do: 'to-source'; readonly create: boolean; readonly settled?: Settled; readonly why: Why }
  | { readonly do: 'delete-target'; readonly settled?: Settled; readonly why: Why }
  | { readonly do: 'delete-source'; readonly settled?: Settled; readonly why: Why }
  | { readonly do: 'conflict'; readonly kind: ConflictKind };

/** A pull's or push's decision: only the target is ever written. */
export type OneWayDecision =
  | {
      readonly do: 'nothing';
      readonly why:
        | 'unchanged'
        /** This very run already wrote it: a page retried after its writes committed. */
        | 'written-this-run'
        /** Changed, but what the target would be handed is what it was last handed. */
        | 'output-unchanged'
        | 'insert-only'
        | 'filtered';
    }
  | {
      readonly do: 'to-target';
      readonly create: boolean;
      /** Update only, without a contract: the target object with the source's id, if it exists. */
      readonly ifExists?: true;
      readonly why: 'new-at-source' | 'reappeared' | 'source-changed';
      /** Why the skip rule did not leave it alone (a changed source, an edited synchronisation, force…). */
      readonly because: SkipBlocker;
    }
  | { readonly do: 'invalid'; readonly reason: string };

export type OneWayGoneDecision =
  | { readonly do: 'delete-target'; readonly why: 'source-deleted' }
  | { readonly do: 'nothing'; readonly why: 'both-gone' };

export type Decided = PairDecision | OneWayDecision | OneWayGoneDecision;
