// The synchronisation form's conversion to the API's input sends only the settings the chosen source
// reads, and the sync page's page-cap notice shows only while raising Max pages is still needed.
import { describe, expect, it } from 'vitest';
import { EMPTY_FORM } from '@/app/o/[slug]/synchronisations/_lib/form-state';
import { pageCapToRaise } from '@/app/o/[slug]/synchronisations/_lib/page-cap';
import { toInput } from '@/app/o/[slug]/synchronisations/_lib/to-input';
import type { RunRow } from '@/app/o/[slug]/synchronisations/_lib/types';

const filled = {
  ...EMPTY_FORM,
  name: 'People',
  sourceId: 'src_1',
  resultsPosition: 'data.items',
  maxPages: '70',
  paginationKind: 'offset' as const,
  pagination: { limit: '25' },
  query: [{ key: 'active', value: '1' }],
};

const sourceConfigOf = (kind: Parameters<typeof toInput>[1]) => {
  const converted = toInput(filled, kind);
  if (!converted.ok) throw new Error(converted.problem.message);
  return converted.input.sourceConfig;
};

describe('the form’s input by kind of source', () => {
  it('sends every reading setting for a REST source', () => {
    expect(sourceConfigOf({ type: 'rest' })).toMatchObject({
      resultsPosition: 'data.items',
      maxPages: 70,
      pagination: { kind: 'offset', limit: 25 },
      query: { active: '1' },
    });
  });

  it('leaves out the page cap and results position for a CSV file, and REST settings for any file', () => {
    const csv = sourceConfigOf({ type: 'file', format: 'csv' });
    for (const key of ['maxPages', 'resultsPosition', 'pagination', 'query', 'headers', 'sql'])
      expect(csv).not.toHaveProperty(key);
    expect(sourceConfigOf({ type: 'file', format: 'xml' })).toMatchObject({ resultsPosition: 'data.items' });
    expect(sourceConfigOf({ type: 'register' })).not.toHaveProperty('maxPages');
    expect(sourceConfigOf({ type: 'sql' })).toMatchObject({ maxPages: 70 });
  });

  it('leaves an empty Max pages out, so the default applies', () => {
    const converted = toInput({ ...EMPTY_FORM, name: 'x', sourceId: 's' });
    expect(converted.ok && converted.input.sourceConfig).not.toHaveProperty('maxPages');
  });
});

describe('the page-cap notice', () => {
  const run = (over: Partial<RunRow>): RunRow =>
    ({ status: 'finished', trigger: 'manual', pageCap: null, cursor: null, ...over }) as RunRow;

  it('shows the cap the last listing stopped at while the cap is not higher', () => {
    expect(pageCapToRaise([run({ pageCap: 50 })], 50)).toBe(50);
    expect(pageCapToRaise([run({ pageCap: 50 })], 10_000)).toBeNull();
  });

  it('looks past approvals, single pushed objects and runs still going, but not past a later listing', () => {
    const capped = run({ pageCap: 20 });
    expect(
      pageCapToRaise(
        [
          run({ status: 'running' }),
          run({ trigger: 'approval' }),
          run({ trigger: 'webhook', cursor: { object: { id: 1 } } }),
          capped,
        ],
        20,
      ),
    ).toBe(20);
    expect(pageCapToRaise([run({}), capped], 20)).toBeNull();
  });
});

describe('a REST target’s batch endpoint and changed fields', () => {
  const restTarget = (patch: Partial<typeof EMPTY_FORM.target>) => {
    const converted = toInput({
      ...EMPTY_FORM,
      name: 'x',
      sourceId: 's',
      targetType: 'source',
      targetSourceId: 'src_b',
      target: { ...EMPTY_FORM.target, ...patch },
    });
    if (!converted.ok) throw new Error(converted.problem.message);
    return converted.input.targetConfig as Record<string, unknown>;
  };

  it('leaves both out while they are not set, so a saved configuration stays as it was', () => {
    const config = restTarget({});
    expect(config['batch']).toBeUndefined();
    expect(config['sendChangedFields']).toBeUndefined();
  });

  it('sends the batch settings once an endpoint is given, and the changed-fields choice', () => {
    expect(
      restTarget({
        sendChangedFields: true,
        batchCreateEndpoint: ' /people/batch ',
        batchItemsKey: 'items',
        batchResultsPath: '',
        batchSize: '50',
      }),
    ).toMatchObject({
      sendChangedFields: true,
      batch: { createEndpoint: '/people/batch', createMethod: 'POST', itemsKey: 'items', size: 50 },
    });
  });
});
