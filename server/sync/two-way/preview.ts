// A test run writes nothing on either side: each write it would make is logged instead (with the object
// a create or update would send), in the order the writes would be made.
import type { Batch, Writes } from './batch';
import { reasonOf } from './words';

export function previewWrites(batch: Batch, writes: Writes): void {
  const { entries } = batch;
  const { register, source } = writes;
  for (const d of [...register.creates, ...register.updates])
    entries.push({
      originId: d.pair.originId,
      action: d.decision.do === 'to-target' && (d.decision.create || !d.pair.target) ? 'create' : 'update',
      reason: `In the register: ${reasonOf(d.decision)}`,
      object: d.pair.mapped ?? {},
    });
  for (const { d, object } of [...source.creates, ...source.updates])
    entries.push({
      originId: d.pair.originId,
      action: d.pair.originId ? 'update' : 'create',
      reason: `At the source: ${reasonOf(d.decision)}`,
      object,
    });
  for (const d of register.deletes)
    entries.push({
      originId: d.pair.originId,
      action: 'delete',
      reason: `In the register: ${reasonOf(d.decision)}`,
    });
  for (const d of source.deletes)
    entries.push({
      originId: d.pair.originId,
      action: 'delete',
      reason: `At the source: ${reasonOf(d.decision)}`,
    });
}
