// A push subscriber's unsubscribed fields (EngineSettings.omitFields): never handed to the target, left
// out after the target mapping and before hashing, so an edit of only those fields sends nothing.
import { describe, expect, it } from 'vitest';
import { hashObject } from '@/server/sync/core/canonical-json';
import { decidePage, type DecisionContext } from '@/server/sync/core/one-way';
import { identifyObjects } from '@/server/sync/core/ids';
import { compileMapping } from '@/server/sync/core/mapping';
import { contract, NO_SETTINGS, TIMES } from './helpers/factories';

const omitting = (
  omitFields: string[],
  extra: Partial<DecisionContext['settings']> = {},
): DecisionContext => ({
  settings: { ...NO_SETTINGS, omitFields, ...extra },
  mode: { force: false, test: false },
  configChangedAt: TIMES.configChangedAt,
  mappingChangedAt: null,
  checkedAt: TIMES.thisRun,
});

const ada = {
  id: 1,
  name: 'Ada',
  email: 'ada@example.test',
  address: { city: 'Delft', street: 'Oude Delft 1' },
};

function decide(
  objects: unknown[],
  context: DecisionContext,
  contracts = [] as ReturnType<typeof contract>[],
) {
  return decidePage(identifyObjects(objects), new Map(contracts.map((c) => [c.originId, c])), context);
}

describe('omitFields', () => {
  it('leaves the fields out of what the target is handed, top-level and nested, and keeps the source whole', () => {
    const source = structuredClone(ada);
    const [decision] = decide([source], omitting(['email', 'address.street']));
    expect(decision).toMatchObject({ action: 'create' });
    if (decision?.action !== 'create') return;
    expect(decision.mapped).toEqual({ id: 1, name: 'Ada', address: { city: 'Delft' } });
    expect(decision.outputHash).toBe(hashObject({ id: 1, name: 'Ada', address: { city: 'Delft' } }));
    // The source object (kept as the contract's origin data) is not touched.
    expect(source).toEqual(ada);
  });

  it('sends nothing when only an omitted field changed', () => {
    const context = omitting(['email']);
    const [first] = decide([ada], context);
    if (first?.action !== 'create') throw new Error('expected a create');
    const sent = contract({ originId: '1', originHash: first.originHash, sentHash: first.sentHash });
    const [again] = decide([{ ...ada, email: 'ada@elsewhere.test' }], context, [sent]);
    expect(again).toMatchObject({ action: 'skip', onlyChecked: false });
    const [renamed] = decide([{ ...ada, email: 'ada@elsewhere.test', name: 'Ada L.' }], context, [sent]);
    expect(renamed).toMatchObject({ action: 'update' });
    if (renamed?.action === 'update') expect(renamed.mapped).not.toHaveProperty('email');
  });

  it('applies after the target mapping: it names fields of what the target receives', () => {
    const mapping = compileMapping({ mapping: { fullName: '{{ name }}', mail: '{{ email }}' } });
    if (!mapping.ok) throw new Error('mapping');
    const [decision] = decide([ada], omitting(['mail'], { targetMapping: mapping.mapping }));
    expect(decision).toMatchObject({ action: 'create', mapped: { fullName: 'Ada' } });
    if (decision?.action === 'create') expect(decision.mapped).not.toHaveProperty('mail');
  });

  it('changes nothing when the list is empty', () => {
    const [decision] = decide([ada], omitting([]));
    expect(decision).toMatchObject({ action: 'create', mapped: ada });
  });
});
