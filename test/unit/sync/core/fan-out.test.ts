// The hub's routing rule: a register change goes to every push subscriber except the synchronisation
// that made it and those writing to the system it came from; a person's change goes everywhere.
import { describe, expect, it } from 'vitest';
import { BY_A_PERSON, receivesChange, type PushSubscriber } from '@/server/sync/core/fan-out';

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
