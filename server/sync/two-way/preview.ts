// A test run writes nothing on either side: each write it would make is logged instead (with the object
// a create or update would send), in the order the writes would be made, and counted as a real run would
// count it, so its counts and message say what a real run would do.
import type { Batch, Writes } from './batch';
import { reasonOf } from './words';

export function previewWrites(batch: Batch, writes: Writes): void {
  const { entries, tally } = batch;
  const { register, source } = writes;
  for (const [list, action] of [
    [register.creates, 'create'],
    [register.updates, 'update'],
  ] as const)
    for (const d of list) {
      tally.register[action === 'create' ? 'created' : 'updated'] += 1;
      entries.push({
        originId: d.pair.originId,
        action,
        reason: `In the register: ${reasonOf(d.decision)}`,
        object: d.pair.mapped ?? {},
      });
    }
  for (const [list, action] of [
    [source.creates, 'create'],
    [source.updates, 'update'],
  ] as const)
    for (const { d, object } of list) {
      tally.source[action === 'create' ? 'created' : 'updated'] += 1;
      entries.push({
        originId: d.pair.originId,
        action,
        reason: `At the source: ${reasonOf(d.decision)}`,
        object,
      });
    }
  for (const d of register.deletes) {
    tally.register.deleted += 1;
    entries.push({
      originId: d.pair.originId,
      action: 'delete',
      reason: `In the register: ${reasonOf(d.decision)}`,
    });
  }
  for (const d of source.deletes) {
    tally.source.deleted += 1;
    entries.push({
      originId: d.pair.originId,
      action: 'delete',
      reason: `At the source: ${reasonOf(d.decision)}`,
    });
  }
}
