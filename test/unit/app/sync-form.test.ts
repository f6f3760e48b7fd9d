// The synchronisation form's conversion to the API's input sends only the settings the chosen source
// reads, and the sync page's page-cap notice shows only while raising Max pages is still needed.
import { describe, expect, it } from 'vitest';
import { EMPTY_FORM } from '@/app/o/[slug]/synchronisations/_lib/form-state';
import { idsFromFile } from '@/app/o/[slug]/synchronisations/_lib/id-list';
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

describe('the form’s incremental reading', () => {
  const incremental = {
    ...filled,
    incremental: true,
    incrementalField: ' updatedAt ',
    incrementalQuery: 'updated_since={{cursor}}',
    incrementalLookback: '300',
    reconcileEveryRuns: '24',
    reconcileCron: '',
  };
  const convert = (kind: Parameters<typeof toInput>[1], state = incremental) => toInput(state, kind);

  it('sends the query for a REST source and leaves it out for SQL', () => {
    const rest = convert({ type: 'rest' });
    expect(rest.ok && rest.input.sourceConfig).toMatchObject({
      incremental: {
        field: 'updatedAt',
        query: 'updated_since={{cursor}}',
        lookbackSeconds: 300,
        reconcileEveryRuns: 24,
      },
    });
    const sql = convert({ type: 'sql' });
    expect(sql.ok && (sql.input.sourceConfig as { incremental: object }).incremental).toEqual({
      field: 'updatedAt',
      lookbackSeconds: 300,
      reconcileEveryRuns: 24,
    });
  });

  it('sends nothing when switched off or for a file source, and names a number that is not one', () => {
    const off = convert({ type: 'rest' }, { ...incremental, incremental: false });
    expect(off.ok && off.input.sourceConfig).not.toHaveProperty('incremental.field');
    const file = convert({ type: 'file', format: 'csv' });
    expect(file.ok && file.input.sourceConfig).not.toHaveProperty('incremental');
    expect(convert({ type: 'sql' }, { ...incremental, incrementalLookback: 'an hour' })).toEqual({
      ok: false,
      problem: {
        field: 'sourceConfig.incremental.lookbackSeconds',
        message: 'Lookback must be a whole number.',
      },
    });
  });
});

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

describe('follow-ups, one-time and selected ids on the form', () => {
  const base = { ...EMPTY_FORM, name: 'x', sourceId: 's' };

  it('sends the selected ids, and the path of one object for a REST source only', () => {
    const state = { ...base, selectedIds: ' 3\n\n7 \n', objectEndpoint: '/items/{{id}}' };
    const rest = toInput(state, { type: 'rest' });
    expect(rest.ok && rest.input.sourceConfig).toMatchObject({
      selectedIds: ['3', '7'],
      objectEndpoint: '/items/{{id}}',
    });
    const sql = toInput(state, { type: 'sql' });
    expect(sql.ok && sql.input.sourceConfig).not.toHaveProperty('objectEndpoint');
  });

  it('sends a one-time time only for a one-time synchronisation, and refuses one that is no time', () => {
    const at = toInput({ ...base, oneTime: true, runOnceAt: '2030-01-02T03:04', followUpIds: ['syn_b'] });
    expect(at.ok && at.input).toMatchObject({ oneTime: true, followUpIds: ['syn_b'] });
    expect(at.ok && at.input.runOnceAt?.getTime()).toBe(new Date('2030-01-02T03:04').getTime());
    const off = toInput({ ...base, oneTime: false, runOnceAt: '2030-01-02T03:04' });
    expect(off.ok && off.input.runOnceAt).toBeNull();
    const bad = toInput({ ...base, oneTime: true, runOnceAt: 'soon' });
    expect(bad).toMatchObject({ ok: false, problem: { field: 'runOnceAt' } });
  });

  it('reads ids from a text file, and the first column of a CSV file without its header', () => {
    expect(idsFromFile('ids.txt', '1\r\n2\n\n2\n', 'id')).toEqual(['1', '2']);
    expect(idsFromFile('ids.csv', 'ID;name\n"a;1";x\nb;y\n', 'id')).toEqual(['a;1', 'b']);
    expect(idsFromFile('ids.csv', '10,x\n11,y\n', 'id')).toEqual(['10', '11']);
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
    expect(config['errorPath']).toBeUndefined();
  });

  it('sends the error path of single writes, trimmed', () => {
    expect(restTarget({ errorPath: ' result.error ' })).toMatchObject({ errorPath: 'result.error' });
  });

  it('sends the batch settings once an endpoint is given, and the changed-fields choice', () => {
    expect(
      restTarget({
        sendChangedFields: true,
        batchCreateEndpoint: ' /people/batch ',
        batchItemsKey: 'items',
        batchResultsPath: '',
        batchErrorPath: ' error ',
        batchSize: '50',
      }),
    ).toMatchObject({
      sendChangedFields: true,
      batch: {
        createEndpoint: '/people/batch',
        createMethod: 'POST',
        itemsKey: 'items',
        errorPath: 'error',
        size: 50,
      },
    });
  });
});

describe('the form’s target', () => {
  // Switching the target type keeps what was picked for the other one in the form; the API refuses it.
  const picked = {
    ...EMPTY_FORM,
    name: 'x',
    sourceId: 's',
    targetRegisterId: 'reg_1',
    targetSchemaId: 'sch_1',
    targetSourceId: 'src_b',
    targetMappingId: 'map_b',
  };

  it('sends only the chosen kind of target’s references', () => {
    const register = toInput({ ...picked, targetType: 'register' });
    expect(register.ok && register.input).toMatchObject({
      targetRegisterId: 'reg_1',
      targetSchemaId: 'sch_1',
      targetSourceId: null,
      targetMappingId: null,
      targetConfig: undefined,
    });
    const source = toInput({ ...picked, targetType: 'source' });
    expect(source.ok && source.input).toMatchObject({
      targetRegisterId: null,
      targetSchemaId: null,
      targetSourceId: 'src_b',
      targetMappingId: 'map_b',
    });
  });
});
