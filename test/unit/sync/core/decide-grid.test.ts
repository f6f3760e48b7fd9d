// Every branch of the decision table, as a grid: each case's decision is written to a file snapshot,
// recorded by the engines as they were before pull, push and two-way shared one decision table
// (server/sync/core/decide.ts). The snapshot is never updated by the unification: any line that
// changes is a behaviour that changed. Each line carries a digest of the whole decision (mapped object,
// hashes, the contract's next state), so a difference anywhere in it shows.
import { describe, expect, it } from 'vitest';
import { hashObject, hashValue } from '@/server/sync/core/canonical-json';
import type { ContractState } from '@/server/sync/core/contracts';
import { decidePage, type DecisionContext, type EngineSettings } from '@/server/sync/core/one-way';
import { identifyObjects } from '@/server/sync/core/ids';
import { applyMapping, compileMapping } from '@/server/sync/core/mapping';
import { decide, type PairBase, type PairInput } from '@/server/sync/core/decide';
import { DEFAULT_TWO_WAY, type TwoWaySettings } from '@/server/sync/core/two-way/settings';
import type { WriteMode } from '@/server/sync/core/write-mode';
import { contract, NO_SETTINGS, TIMES } from './helpers/factories';

const pump = { id: 1, name: 'Pump', size: '3' };

function compiled(config: Parameters<typeof compileMapping>[0]) {
  const result = compileMapping(config);
  if (!result.ok) throw new Error('mapping');
  return result.mapping;
}
const MAPPINGS = {
  none: null,
  ok: compiled({ mapping: { title: '{{ name | upcase }}', size: 'size' }, cast: { size: 'int' } }),
  fails: compiled({ mapping: { size: 'name' }, cast: { size: 'int' } }),
} as const;

/** What the target is handed for `pump` under a mapping that works. */
function outputOf(mapping: keyof typeof MAPPINGS): Record<string, unknown> {
  const m = MAPPINGS[mapping];
  if (!m) return pump;
  const outcome = applyMapping(m, pump);
  return outcome.ok ? outcome.value : {};
}

const same = hashObject(pump);
const CONTRACTS: Record<string, (mapping: keyof typeof MAPPINGS) => ContractState | null> = {
  none: () => null,
  'synced-unchanged': () => contract({ originId: '1', originHash: same }),
  'synced-changed': () => contract({ originId: '1', originHash: 'other' }),
  'synced-changed-sent-same': (m) =>
    contract({ originId: '1', originHash: 'other', sentHash: hashObject(outputOf(m)) }),
  'synced-no-target': () => contract({ originId: '1', originHash: same, targetId: null }),
  'rejected-unchanged': () =>
    contract({ originId: '1', originHash: same, status: 'rejected', lastError: 'refused' }),
  'rejected-changed': () =>
    contract({ originId: '1', originHash: 'other', status: 'rejected', lastError: 'refused' }),
  'rejected-create': () =>
    contract({ originId: '1', originHash: 'other', status: 'rejected', targetId: null, lastError: 'no' }),
  'failed-unchanged': () => contract({ originId: '1', originHash: same, status: 'failed', lastError: '503' }),
  'invalid-unchanged': () => contract({ originId: '1', originHash: same, status: 'invalid' }),
  'held-unchanged': () => contract({ originId: '1', originHash: same, status: 'held', lastAction: 'hold' }),
  'held-sent-same': (m) =>
    contract({ originId: '1', originHash: 'other', status: 'held', sentHash: hashObject(outputOf(m)) }),
  deleted: () => contract({ originId: '1', originHash: same, status: 'deleted', lastAction: 'delete' }),
  'written-this-run': () =>
    contract({ originId: '1', originHash: same, sourceLastChecked: TIMES.thisRun, lastAction: 'update' }),
  'rejected-this-run': () =>
    contract({
      originId: '1',
      originHash: same,
      status: 'rejected',
      lastAction: 'create',
      sourceLastChecked: TIMES.thisRun,
    }),
  'skipped-this-run': () =>
    contract({ originId: '1', originHash: same, sourceLastChecked: TIMES.thisRun, lastAction: 'skip' }),
};

/** A decision as one line: what a reader checks first, then a digest of all of it. */
function line(decision: unknown): string {
  // A decision's top-level fields read here are plain strings and booleans.
  type Flat = Record<string, string | boolean | undefined>;
  const d = JSON.parse(JSON.stringify(decision)) as Flat & { contract?: Flat | null };
  const c = d.contract;
  const parts = [String(d.action)];
  if (d.targetId !== undefined) parts.push(`target=${String(d.targetId)}`);
  if (d.ifExists) parts.push('if-exists');
  if (d.onlyChecked !== undefined) parts.push(`onlyChecked=${String(d.onlyChecked)}`);
  if (d.doneInThisRun) parts.push(`done=${String(d.doneInThisRun)}`);
  if (c) parts.push(`contract=${String(c.status)}/${String(c.lastAction)}`);
  if (c === null) parts.push('contract=null');
  if (d.reason) parts.push(`reason=${String(d.reason)}`);
  return `${parts.join(' ')} #${hashValue(d).slice(0, 12)}`;
}

describe('the decision grid of a pull or push (the target never read)', () => {
  it('decides every combination of contract, write mode, run mode, edits and mapping as recorded', async () => {
    const lines: string[] = [];
    const modes: WriteMode[] = ['upsert', 'insert-only', 'update-only', 'mirror'];
    for (const [name, make] of Object.entries(CONTRACTS))
      for (const mapping of Object.keys(MAPPINGS) as (keyof typeof MAPPINGS)[])
        for (const writeMode of modes)
          for (const force of [false, true])
            for (const edited of [false, true]) {
              const previous = make(mapping);
              const settings: EngineSettings = { ...NO_SETTINGS, mapping: MAPPINGS[mapping], writeMode };
              const context: DecisionContext = {
                settings,
                mode: { force, test: false },
                configChangedAt: edited ? TIMES.thisRun : TIMES.configChangedAt,
                mappingChangedAt: null,
                checkedAt: TIMES.thisRun,
              };
              const contracts = new Map(previous ? [[previous.originId, previous]] : []);
              const [decision] = decidePage(identifyObjects([pump]), contracts, context);
              const key = `${name} mapping=${mapping} ${writeMode}${force ? ' force' : ''}${edited ? ' edited' : ''}`;
              lines.push(`${key} → ${line(decision)}`);
            }
    await expect(lines.join('\n') + '\n').toMatchFileSnapshot('__snapshots__/one-way-grid.txt');
  });

  it('decides conditions, ids, hashed fields, the target mapping, omitted fields and fingerprints as recorded', async () => {
    const target = compiled({ mapping: { body: '=x', name: 'name' } });
    const broken = compiled({ mapping: { n: 'name' }, cast: { n: 'int' } });
    const variants: Record<string, Partial<EngineSettings>> = {
      'conditions-pass': { conditions: { '==': [{ var: 'name' }, 'Pump'] } },
      'conditions-filter': { conditions: { '==': [{ var: 'name' }, 'Valve'] } },
      'conditions-error': { conditions: { nonsense: [1] } },
      'hash-fields': { hashFields: ['id'] },
      'target-mapping': { targetMapping: target },
      'target-mapping-fails': { targetMapping: broken },
      'omit-fields': { omitFields: ['size'] },
      fingerprint: { targetFingerprint: 'fp-1' },
      'sent-objects': { keepSentObjects: true },
    };
    const lines: string[] = [];
    for (const [variant, over] of Object.entries(variants))
      for (const [name, make] of Object.entries(CONTRACTS)) {
        const previous = make('none');
        const context: DecisionContext = {
          settings: { ...NO_SETTINGS, ...over },
          mode: { force: false, test: false },
          configChangedAt: TIMES.configChangedAt,
          mappingChangedAt: null,
          checkedAt: TIMES.thisRun,
        };
        const contracts = new Map(previous ? [[previous.originId, previous]] : []);
        const items = identifyObjects([pump, { name: 'no id' }, { ...pump }]);
        const decisions = decidePage(items, contracts, context);
        decisions.forEach((d, i) => lines.push(`${variant} ${name} item=${i} → ${line(d)}`));
      }
    await expect(lines.join('\n') + '\n').toMatchFileSnapshot('__snapshots__/one-way-settings-grid.txt');
  });
});

describe('the decision grid of a two-way synchronisation (both sides listed)', () => {
  it('decides every combination of base, both sides, sameness and policy as recorded', async () => {
    const bases: Record<string, PairBase | null> = {
      none: null,
      kept: { sourceHash: 's0', targetHash: 't0', sourceWritten: null, deleted: false },
      'kept-written': { sourceHash: 's0', targetHash: 't0', sourceWritten: 'sw', deleted: false },
      tombstone: { sourceHash: 's0', targetHash: 't0', sourceWritten: null, deleted: true },
    };
    const sides = (hashes: readonly (string | null)[], date: string) =>
      hashes.map((hash) => (hash === null ? null : { hash, updatedAt: date }));
    const policies: Record<string, Partial<TwoWaySettings>> = {
      'source-wins': { conflictPolicy: 'source-wins' },
      'target-wins': { conflictPolicy: 'target-wins' },
      'newer-wins': { conflictPolicy: 'newer-wins' },
      'newer-wins-target-truth': { conflictPolicy: 'newer-wins', sourceOfTruth: 'target' },
      manual: { conflictPolicy: 'manual' },
      'leave-target-only': { targetOnly: 'leave' },
      'delete-target-only': { targetOnly: 'delete' },
      'add-target-only': { targetOnly: 'add-to-source' },
    };
    const dates = {
      'source-newer': ['2026-12-03T12:00:00Z', '2026-12-03T11:00:00Z'],
      'target-newer': ['2026-12-03T11:00:00Z', '2026-12-03T12:00:00Z'],
      'no-dates': ['', ''],
    } as const;
    const lines: string[] = [];
    for (const [baseName, base] of Object.entries(bases))
      for (const [policyName, policy] of Object.entries(policies))
        for (const [dateName, [sourceDate, targetDate]] of Object.entries(dates)) {
          // Dates only ever matter to newer wins.
          if (!policyName.startsWith('newer') && dateName !== 'no-dates') continue;
          for (const source of sides([null, 's0', 's1', 'sw'], sourceDate))
            for (const target of sides([null, 't0', 't1'], targetDate))
              for (const isSame of [false, true]) {
                if (isSame && (source === null || target === null)) continue;
                const input: PairInput = {
                  base,
                  source,
                  target,
                  same: isSame,
                  settings: { ...DEFAULT_TWO_WAY, ...policy },
                };
                const key =
                  `${baseName} ${policyName} ${dateName} source=${source?.hash ?? '-'} ` +
                  `target=${target?.hash ?? '-'}${isSame ? ' same' : ''}`;
                lines.push(`${key} → ${JSON.stringify(decide(input))}`);
              }
        }
    await expect(lines.join('\n') + '\n').toMatchFileSnapshot('__snapshots__/two-way-grid.txt');
  });
});
