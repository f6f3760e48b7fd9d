// Test data with partial overrides: contracts, run contexts and engine settings.
import type { ContractState } from '@/server/sync/core/contracts';
import type { EngineSettings } from '@/server/sync/core/one-way';
import type { DeletionSettings } from '@/server/sync/core/deletions';
import type { RunContext } from '@/server/sync/core/run-page';

export const T = (iso: string): Date => new Date(iso);

/** The fixed moments most tests use: config saved, mapping saved, previous run, this run. */
export const TIMES = {
  configChangedAt: T('2024-01-01T00:00:00Z'),
  mappingChangedAt: T('2024-01-02T00:00:00Z'),
  lastRun: T('2024-02-01T00:00:00Z'),
  thisRun: T('2024-03-01T00:00:00Z'),
  now: T('2024-03-01T00:00:05Z'),
} as const;

export function contract(overrides: Partial<ContractState> & Pick<ContractState, 'originId'>): ContractState {
  return {
    parentOriginId: null,
    targetId: `t-${overrides.originId}`,
    originHash: null,
    targetHash: `th-${overrides.originId}`,
    status: 'synced',
    lastAction: 'create',
    lastError: null,
    sourceLastChanged: TIMES.lastRun,
    sourceLastChecked: TIMES.lastRun,
    sourceLastSynced: TIMES.lastRun,
    targetLastChanged: TIMES.lastRun,
    targetLastChecked: TIMES.lastRun,
    targetLastSynced: TIMES.lastRun,
    ...overrides,
  };
}

export const NO_SETTINGS: EngineSettings = { conditions: null, mapping: null, hashFields: null };

export function runContext(overrides: Partial<RunContext> = {}): RunContext {
  return {
    runId: 'run_1',
    syncId: 'syn_1',
    idField: 'id',
    settings: NO_SETTINGS,
    mode: { force: false, test: false },
    configChangedAt: TIMES.configChangedAt,
    mappingChangedAt: null,
    checkedAt: TIMES.thisRun,
    origin: { systemId: 'src_1', syncId: 'syn_1', runId: 'run_1' },
    now: () => TIMES.now,
    ...overrides,
  };
}

export function deletionSettings(overrides: Partial<DeletionSettings> = {}): DeletionSettings {
  return { policy: 'hard', restrictDeletion: null, holdAboveShare: 0.5, ...overrides };
}
