// Which register object a push synchronisation's contract belongs to. A register source hands a sync
// each object's data, whose own `id` (a foreign id, typically) is the origin id: two register objects
// may carry the same one, and a person may change it. The contract remembers its register object
// (contracts.origin_object), and this decides, for a page of register objects, what keeps
// one register object ↔ one contract ↔ one target object:
// - an object whose data id changed takes its contract along (`move`): the target object is updated,
//   not a second one created;
// - an object whose id another live object's contract holds is refused, naming both: it would
//   overwrite that object's target object;
// - a contract whose object is gone, a deleted contract, or one recorded before contracts remembered
//   their object (owner unknown: `legacy`) is taken over (`claim`) by the object that now has its id,
//   a legacy one only when that object is known to be the one it was made from.
// Pure: the I/O is sources/register-identity.ts.

/** One register object of the page, with the origin id its data gives (null: none the sync can read). */
export interface ClaimRow {
  readonly objectId: string;
  readonly originId: string | null;
}

/** A contract found by the page's origin ids or object ids. */
export interface ClaimContract {
  readonly seq: number;
  readonly originId: string;
  readonly originObject: string | null;
  readonly targetId: string | null;
  readonly deleted: boolean;
}

/** Who a contract recorded without its object (origin_object NULL) was made from, as far as is known. */
export type LegacyOwner = { readonly owner: string } | { readonly candidates: readonly string[] };

export interface ClaimFacts {
  readonly contracts: readonly ClaimContract[];
  /** The owners (origin_object) of those contracts that are live objects of the register. */
  readonly liveOwners: ReadonlySet<string>;
  /** For each origin id whose active contract has no owner recorded: who it belongs to. */
  readonly legacy: ReadonlyMap<string, LegacyOwner>;
}

export type Claim =
  /** Handed to the engine as it is; `owner`: record it as the contract's object once written. */
  | { readonly kind: 'pass'; readonly owner: boolean }
  /** The object's contract moves from its old origin id to the object's new one, then the engine runs. */
  | { readonly kind: 'move'; readonly seq: number; readonly from: string }
  /** The contract at the object's origin id becomes this object's, then the engine runs. */
  | { readonly kind: 'claim'; readonly seq: number }
  /**
   * Not handed to the engine. `keepListed`: the origin id of the contract the object still owns, which a
   * listing must count as seen (its target object is the object's, and stays).
   */
  | { readonly kind: 'refuse'; readonly reason: string; readonly keepListed: string | null };

const named = (c: ClaimContract) =>
  c.targetId === null ? 'not yet written to the target' : `synchronised as target object "${c.targetId}"`;

/** The claims of a page's rows, in their order (an earlier row wins a tie, as a listing's first occurrence). */
export function decideClaims(rows: readonly ClaimRow[], facts: ClaimFacts): Claim[] {
  const active = facts.contracts.filter((c) => !c.deleted);
  const byObject = new Map(active.flatMap((c) => (c.originObject ? [[c.originObject, c] as const] : [])));
  // Moves first: an object whose id changed frees its old id, and may need an id another frees.
  const moving = new Map<number, string>();
  for (const row of rows) {
    const own = byObject.get(row.objectId);
    if (row.originId !== null && own && own.originId !== row.originId) moving.set(own.seq, row.originId);
  }
  const originOf = (c: ClaimContract) => moving.get(c.seq) ?? c.originId;
  // A move is possible only to an id no other contract holds after the other moves (a deleted one
  // included: its history is another object's); refusing one may block another, so until nothing changes.
  const blocker = (c: ClaimContract, to: string) =>
    facts.contracts.find((d) => d.seq !== c.seq && originOf(d) === to);
  for (let changed = true; changed;) {
    changed = false;
    for (const [seq, to] of moving) {
      const own = active.find((c) => c.seq === seq)!;
      if (blocker(own, to)) {
        moving.delete(seq);
        changed = true;
      }
    }
  }
  const holder = (originId: string) => facts.contracts.find((c) => originOf(c) === originId);
  const firstWith = new Map<string, string>();
  return rows.map((row): Claim => {
    const claim = claimOf(row);
    // Only an object handed on takes its id for the rest of the page: a refused one takes nothing.
    if (claim.kind !== 'refuse' && row.originId !== null) firstWith.set(row.originId, row.objectId);
    return claim;
  });

  function claimOf(row: ClaimRow): Claim {
    const { objectId, originId } = row;
    if (originId === null) return { kind: 'pass', owner: false };
    const own = byObject.get(objectId);
    if (own && own.originId !== originId) {
      if (moving.get(own.seq) === originId) {
        return { kind: 'move', seq: own.seq, from: own.originId };
      }
      const other = blocker(own, originId);
      const whose = other?.originObject ? `register object ${other.originObject}'s` : 'another';
      return {
        kind: 'refuse',
        keepListed: own.originId,
        reason:
          `Register object ${objectId}'s id changed from "${own.originId}" to "${originId}", which ` +
          `${whose} contract holds${other ? ` (${named(other)})` : ''}: give it another id. ` +
          `Its own target object stays as it was.`,
      };
    }
    const earlier = firstWith.get(originId);
    if (earlier !== undefined && earlier !== objectId)
      return { kind: 'refuse', keepListed: null, reason: sameId(objectId, originId, earlier, null) };
    if (own) return { kind: 'pass', owner: false };
    const held = holder(originId);
    if (!held) return { kind: 'pass', owner: true };
    if (held.deleted) return { kind: 'claim', seq: held.seq };
    const owner = held.originObject ?? legacyOwner(facts.legacy.get(originId));
    if (owner === objectId) return { kind: 'claim', seq: held.seq };
    if (typeof owner === 'string' && !facts.liveOwners.has(owner) && held.originObject !== null)
      return { kind: 'claim', seq: held.seq };
    if (typeof owner === 'string')
      return { kind: 'refuse', keepListed: null, reason: sameId(objectId, originId, owner, held) };
    return {
      kind: 'refuse',
      keepListed: null,
      reason:
        `Register objects ${owner.candidates.join(', ')} all have the id "${originId}", ${named(held)} ` +
        'before Concord recorded which object it was made from, and none of them is still as it was then: ' +
        'give all but one of them another id.',
    };
  }
}

function legacyOwner(legacy: LegacyOwner | undefined): string | { candidates: readonly string[] } {
  if (!legacy) return { candidates: [] };
  return 'owner' in legacy ? legacy.owner : { candidates: legacy.candidates };
}

function sameId(objectId: string, originId: string, other: string, held: ClaimContract | null): string {
  const where = held ? `, already ${named(held)}` : ', listed before it';
  return (
    `Register object ${objectId} has the same id "${originId}" as register object ${other}${where}: ` +
    'give one of them another id. Nothing was written for it.'
  );
}
