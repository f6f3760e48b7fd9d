// The hub's routing rule: a register change goes to every push subscriber except the synchronisation
// that made it and those writing to the system it came from; a person's change goes everywhere.
import { describe, expect, it } from 'vitest';
import { BY_A_PERSON, needsOriginIds, receivesChange, type PushSubscriber } from '@/server/sync/core/fan-out';

const toCrm: PushSubscriber = { id: 'syn_crm', targetType: 'source', targetSourceId: 'src_crm' };
const toShop: PushSubscriber = { id: 'syn_shop', targetType: 'source', targetSourceId: 'src_shop' };
const toArchive: PushSubscriber = { id: 'syn_archive', targetType: 'register', targetSourceId: null };

describe('receivesChange', () => {
  it('sends a change a person made to every subscriber', () => {
    for (const s of [toCrm, toShop, toArchive]) expect(receivesChange(s, BY_A_PERSON)).toBe(true);
  });

  it('never sends a change back to the system it came from', () => {
    const fromCrm = { systemId: 'src_crm', syncId: 'syn_crm_in' };
    expect(receivesChange(toCrm, fromCrm)).toBe(false);
    expect(receivesChange(toShop, fromCrm)).toBe(true);
    expect(receivesChange(toArchive, fromCrm)).toBe(true);
  });

  it('never sends a change to the synchronisation that made it', () => {
    expect(receivesChange(toArchive, { systemId: 'src_dir', syncId: 'syn_archive' })).toBe(false);
  });
});

describe('receivesChange with an unsubscribe list', () => {
  const paused: PushSubscriber = { ...toShop, unsubscribe: { paused: true, objectIds: [] } };
  const notAda: PushSubscriber = { ...toShop, unsubscribe: { paused: false, objectIds: ['obj_ada', '12'] } };

  it('sends a paused subscriber nothing, not even a change a person made', () => {
    expect(receivesChange(paused, BY_A_PERSON)).toBe(false);
    expect(receivesChange(paused, BY_A_PERSON, { objectId: 'obj_bo' })).toBe(false);
  });

  it('leaves out the objects it named, by register id or id-field value, matched exactly', () => {
    expect(receivesChange(notAda, BY_A_PERSON, { objectId: 'obj_ada' })).toBe(false);
    expect(receivesChange(notAda, BY_A_PERSON, { objectId: 'obj_x', originId: '12' })).toBe(false);
    expect(receivesChange(notAda, BY_A_PERSON, { objectId: 'obj_y', originId: '123' })).toBe(true);
    // Without the object it may still receive some change.
    expect(receivesChange(notAda, BY_A_PERSON)).toBe(true);
  });

  it('reads object ids only when some subscriber names objects', () => {
    expect(needsOriginIds([toCrm, paused])).toBe(false);
    expect(needsOriginIds([toCrm, notAda])).toBe(true);
  });
});
