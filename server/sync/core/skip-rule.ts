// The skip rule: an object is left alone only when nothing that could change its target version has
// changed. Anything less certain means writing again — an extra write is cheap, a stale target is not.
import type { ContractState } from './contracts';

export interface SkipInput {
  readonly contract: ContractState | null;
  readonly originHash: string;
  readonly configChangedAt: Date;
  /** null when the sync uses no mapping. */
  readonly mappingChangedAt: Date | null;
  readonly force: boolean;
}

export type SkipBlocker =
  | 'no-contract'
  | 'forced'
  | 'not-synced'
  | 'origin-changed'
  | 'config-edited'
  | 'mapping-edited'
  | 'target-unknown';

export type SkipVerdict = { readonly skip: true } | { readonly skip: false; readonly because: SkipBlocker };

/**
 * Skip only when the origin hash is unchanged, the sync and its mapping were not edited since the
 * contract was last checked, the contract knows the target id and hash, and the run is not forced.
 * A contract whose last write failed or that is invalid is always retried; one the target rejected is
 * skipped on the same terms, so a refused version is not sent again until it (or the sync) changes.
 *
 * "Edited since last checked" compares with sourceLastChecked, which the engine records as the moment
 * the checking run loaded its configuration — so an edit made while a run was under way still counts
 * as newer than that run's checks. An edit at the very same millisecond counts as newer too.
 */
export function skipVerdict(input: SkipInput): SkipVerdict {
  const { contract } = input;
  if (!contract) return { skip: false, because: 'no-contract' };
  if (input.force) return { skip: false, because: 'forced' };
  const rejected = contract.status === 'rejected';
  if (contract.status !== 'synced' && contract.status !== 'held' && !rejected)
    return { skip: false, because: 'not-synced' };
  if (contract.originHash !== input.originHash) return { skip: false, because: 'origin-changed' };
  const checked = contract.sourceLastChecked?.getTime();
  if (checked === undefined || input.configChangedAt.getTime() >= checked)
    return { skip: false, because: 'config-edited' };
  if (input.mappingChangedAt && input.mappingChangedAt.getTime() >= checked) {
    return { skip: false, because: 'mapping-edited' };
  }
  // A version the target refused is not sent again until it changes (a create refused has no target id).
  if (rejected) return { skip: true };
  if (!contract.targetId || !contract.targetHash) return { skip: false, because: 'target-unknown' };
  return { skip: true };
}
