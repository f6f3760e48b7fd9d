// Contracts: what Concord remembers about one synchronised object (both ids, both hashes, when each
// side changed, was checked and was synced), with its status as a small state machine.

export const CONTRACT_STATUSES = [
  'synced',
  'failed',
  'rejected',
  'invalid',
  'held',
  'deleted',
  'conflict',
  'quarantined',
] as const;
/**
 * - synced:   the target holds the origin's last written version
 * - failed:   the last write or delete did not go through for a reason that may pass (a 429, a 5xx, a
 *             lost connection; see lastError): tried again next run
 * - rejected: the target refused this version of the object itself (a 4xx, a constraint; see
 *             lastError): not sent again until the object (or the synchronisation) changes
 * - invalid:  Concord refused the object before writing: no usable mapping, schema… (see lastError)
 * - held:    the origin vanished but the deletion waits for approval (too many at once)
 * - deleted: the origin vanished and the target object was deleted
 * - conflict: (two-way) both sides changed into different versions; waits for a person (the conflict queue)
 * - quarantined: the object flipped back and forth too often in a short time (the flap breaker); left
 *                alone until a person releases it
 */
export type ContractStatus = (typeof CONTRACT_STATUSES)[number];

export const CONTRACT_ACTIONS = [
  'create',
  'update',
  'rewrite',
  'skip',
  'filter',
  'reject',
  'hold',
  'delete',
  'write-back',
  'conflict',
  'match',
  'quarantine',
] as const;
/**
 * What the engine last did with the contract; `status` says how that went. `rewrite`: written again,
 * and the target's content stayed the same (a forced run); `reject`: refused by Concord as invalid.
 * Two-way: `write-back` wrote the target's version to the source; `match` linked two existing objects
 * by the matching field; `conflict` found a conflict; `quarantine` stopped a flapping object.
 */
export type ContractAction = (typeof CONTRACT_ACTIONS)[number];

export interface ContractState {
  readonly originId: string;
  /** For sub-objects: the origin id of the object they were found in. */
  readonly parentOriginId: string | null;
  readonly targetId: string | null;
  readonly originHash: string | null;
  readonly targetHash: string | null;
  /**
   * The hash of the object Concord last handed the target (the mapping's output), when it differs from
   * targetHash (a target that answers with its own ids, timestamps or normalised values). An object
   * whose output still has this hash needs no request. Null: the same as targetHash.
   */
  readonly sentHash?: string | null;
  /**
   * The object Concord last handed the target, kept only where the target is sent changed fields only
   * (a REST target's sendChangedFields): the base the next update's merge patch is made against.
   */
  readonly sentData?: Readonly<Record<string, unknown>> | null;
  readonly status: ContractStatus;
  readonly lastAction: ContractAction;
  readonly lastError: string | null;
  readonly sourceLastChanged: Date | null;
  readonly sourceLastChecked: Date | null;
  readonly sourceLastSynced: Date | null;
  readonly targetLastChanged: Date | null;
  readonly targetLastChecked: Date | null;
  readonly targetLastSynced: Date | null;
  /** The source object as last seen (for people looking at the contract, and re-syncing one object). */
  readonly originData?: unknown;
  /**
   * What this very write handed the target: the version a record's history keeps. Set only on the
   * state a write leaves, never carried to the next state, and not stored on the contract.
   */
  readonly written?: Readonly<Record<string, unknown>>;
  /**
   * A register source's contract: the register object it was made from (set by the source's identity on
   * the states it writes, sources/register-identity.ts). Stored where the contract names none yet, never
   * over another object's; not read back into a state.
   */
  readonly originObject?: string | null;
}

/** `new` is the state before a contract exists. */
const ANY: readonly ContractStatus[] = CONTRACT_STATUSES;
export const CONTRACT_TRANSITIONS: Readonly<Record<ContractStatus | 'new', readonly ContractStatus[]>> = {
  // A two-way first run can meet a conflict at once (a matched pair whose sides differ, on manual).
  new: ['synced', 'failed', 'rejected', 'invalid', 'conflict'],
  synced: ANY,
  failed: ANY,
  rejected: ANY,
  invalid: ANY,
  held: ANY,
  // A deleted object that reappears in the source is created again (two-way: or is in conflict).
  deleted: ['synced', 'failed', 'rejected', 'invalid', 'deleted', 'conflict', 'quarantined'],
  conflict: ANY,
  quarantined: ANY,
};

export function canTransition(from: ContractStatus | 'new', to: ContractStatus): boolean {
  return CONTRACT_TRANSITIONS[from].includes(to);
}

export type ContractChange = Partial<Omit<ContractState, 'originId'>> &
  Pick<ContractState, 'status' | 'lastAction'>;

/**
 * The next state of a contract (or a new one). An impossible transition is a bug in the engine,
 * not a property of the data, so it throws.
 */
export function evolveContract(
  previous: ContractState | null,
  originId: string,
  change: ContractChange,
): ContractState {
  const from = previous?.status ?? 'new';
  if (!canTransition(from, change.status)) {
    throw new Error(`Contract ${originId}: a ${from} contract cannot become ${change.status}`);
  }
  // Field by field rather than `{ ...previous, ...change }`: this runs for every object of every page,
  // and two spreads of a 15-field object cost several times more (bench/, BENCH_PROFILE=1).
  const next: { -readonly [K in keyof ContractState]: ContractState[K] } = {
    originId,
    parentOriginId: 'parentOriginId' in change ? change.parentOriginId! : (previous?.parentOriginId ?? null),
    targetId: 'targetId' in change ? change.targetId! : (previous?.targetId ?? null),
    originHash: 'originHash' in change ? change.originHash! : (previous?.originHash ?? null),
    targetHash: 'targetHash' in change ? change.targetHash! : (previous?.targetHash ?? null),
    sentHash: 'sentHash' in change ? change.sentHash! : (previous?.sentHash ?? null),
    sentData: 'sentData' in change ? change.sentData! : (previous?.sentData ?? null),
    status: change.status,
    lastAction: change.lastAction,
    lastError: 'lastError' in change ? change.lastError! : (previous?.lastError ?? null),
    sourceLastChanged:
      'sourceLastChanged' in change ? change.sourceLastChanged! : (previous?.sourceLastChanged ?? null),
    sourceLastChecked:
      'sourceLastChecked' in change ? change.sourceLastChecked! : (previous?.sourceLastChecked ?? null),
    sourceLastSynced:
      'sourceLastSynced' in change ? change.sourceLastSynced! : (previous?.sourceLastSynced ?? null),
    targetLastChanged:
      'targetLastChanged' in change ? change.targetLastChanged! : (previous?.targetLastChanged ?? null),
    targetLastChecked:
      'targetLastChecked' in change ? change.targetLastChecked! : (previous?.targetLastChecked ?? null),
    targetLastSynced:
      'targetLastSynced' in change ? change.targetLastSynced! : (previous?.targetLastSynced ?? null),
  };
  // Absent stays absent (the store then keeps the stored object); set on `next`, not spread into a copy.
  if ('originData' in change) next.originData = change.originData;
  else if (previous && 'originData' in previous) next.originData = previous.originData;
  return next;
}
