// The settings of a two-way synchronisation (seeds 000 and 001): what to do when both sides changed, who
// is right when that cannot be told, and what happens to an object only the target side has.

/**
 * When both sides changed since the last sync and now differ:
 * - source-wins / target-wins: that side's version is written to the other side;
 * - newer-wins: the side whose updated-at field is later (each side's own field; falls back to the
 *   source of truth when a side has no date or they tie);
 * - manual: nothing is written; the conflict waits in the queue for a person.
 */
export const CONFLICT_POLICIES = ['source-wins', 'target-wins', 'newer-wins', 'manual'] as const;
export type ConflictPolicy = (typeof CONFLICT_POLICIES)[number];

/** Who is right when it cannot be established which version is newer (seed 000: the source by default). */
export const SOURCES_OF_TRUTH = ['source', 'target'] as const;
export type SourceOfTruth = (typeof SOURCES_OF_TRUTH)[number];

/**
 * Seed 000's first scenario: an object on the target side that no contract links to the source.
 * - leave: it stays where it is, and nothing is written;
 * - delete: it is deleted from the target (after a complete listing, behind the threshold hold);
 * - add-to-source: it is created on the source side, and a contract links the two.
 */
export const TARGET_ONLY_POLICIES = ['leave', 'delete', 'add-to-source'] as const;
export type TargetOnlyPolicy = (typeof TARGET_ONLY_POLICIES)[number];

export interface TwoWaySettings {
  readonly conflictPolicy: ConflictPolicy;
  readonly sourceOfTruth: SourceOfTruth;
  readonly targetOnly: TargetOnlyPolicy;
  /**
   * The first run pairs objects that have no contract by this field (a dot path on each side), so that
   * records both systems already hold are linked instead of created twice. Null: no matching.
   */
  readonly match: { readonly source: string; readonly target: string } | null;
  /** Updated-at fields (dot paths) for newer-wins; only ever compared with the other side's as a tie-break. */
  readonly updatedAt: { readonly source: string | null; readonly target: string | null };
  /**
   * The flap breaker: an object written more than `writes` times within `minutes` (two systems that keep
   * changing it back, a loop through the hub) is quarantined instead of being written forever.
   */
  readonly flap: { readonly writes: number; readonly minutes: number };
}

export const DEFAULT_TWO_WAY: TwoWaySettings = {
  conflictPolicy: 'manual',
  sourceOfTruth: 'source',
  targetOnly: 'leave',
  match: null,
  updatedAt: { source: null, target: null },
  flap: { writes: 10, minutes: 10 },
};

/** The writes of one object counted in the flap window, and whether this next write breaks the limit. */
export function nextFlip(
  previous: { readonly flips: number; readonly flipsSince: Date | null } | null,
  now: Date,
  flap: TwoWaySettings['flap'],
): { readonly flips: number; readonly flipsSince: Date; readonly tripped: boolean } {
  const windowMs = flap.minutes * 60_000;
  const within = previous?.flipsSince && now.getTime() - previous.flipsSince.getTime() < windowMs;
  const flips = within ? previous.flips + 1 : 1;
  const flipsSince = within ? previous.flipsSince! : now;
  return { flips, flipsSince, tripped: flips > flap.writes };
}
