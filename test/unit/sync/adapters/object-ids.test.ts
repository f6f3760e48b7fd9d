import { describe, expect, it } from 'vitest';
import { newId } from '@/server/db/ids';
import { stableObjectId } from '@/server/sync/targets/register-rows';

const scope = { orgId: 'org_1', schemaId: 'sch_1' };
const ID_SHAPE = /^obj_[0-9a-hjkmnp-tv-z]{26}$/;

describe('stableObjectId', () => {
  it('gives a retried write the same id, and another key another id', () => {
    const runId = newId('run');
    const at = { runId, page: 3 };
    const id = stableObjectId(scope, 'create:syn_1:run:42', at);
    expect(id).toMatch(ID_SHAPE);
    expect(stableObjectId(scope, 'create:syn_1:run:42', at)).toBe(id);
    expect(stableObjectId(scope, 'create:syn_1:run:43', at)).not.toBe(id);
    expect(stableObjectId({ ...scope, orgId: 'org_2' }, 'create:syn_1:run:42', at)).not.toBe(id);
  });

  it("sorts a run's objects by page, after the objects of earlier runs", () => {
    const earlier = newId('run', Date.UTC(2026, 0, 1));
    const later = newId('run', Date.UTC(2026, 0, 2));
    const ids = [
      stableObjectId(scope, 'a', { runId: later, page: 2 }),
      stableObjectId(scope, 'b', { runId: later, page: 1 }),
      stableObjectId(scope, 'c', { runId: earlier, page: 40 }),
      stableObjectId(scope, 'd', { runId: later, page: 10 }),
    ];
    expect([...ids].sort()).toEqual([ids[2], ids[1], ids[0], ids[3]]);
  });

  it('makes the ids it always made: a step retried after an upgrade writes its objects again by them', () => {
    const key = 'create:syn_1:run:42';
    expect(stableObjectId(scope, key, { runId: 'run_01h2xcejqt0000000000000000', page: 3 })).toBe(
      'obj_01h2xcejqt0003hhbtaye8pvbz',
    );
    expect(stableObjectId(scope, key, { runId: 'run_test', page: 3 })).toBe('obj_hhbtaye8pvbzjbysr66whcmbbc');
  });

  it('falls back to the digest alone for a run id without a time part', () => {
    expect(stableObjectId(scope, 'k', { runId: 'run_1', page: 1 })).toMatch(ID_SHAPE);
  });
});
