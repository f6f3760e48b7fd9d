// A push subscriber's stored unsubscribe list (synchronisations.unsubscribe, seed 004), read tolerantly:
// null, or a value this version cannot read, is "receives everything" — an unreadable list must not
// stop a subscriber, and the hub page shows the list as it was read.
import { readStored } from './stored';
import { unsubscribeSchema, type UnsubscribeConfig } from './sync-config';

export const RECEIVES_ALL: UnsubscribeConfig = { paused: false, objectIds: [], fields: [] };

export function storedUnsubscribe(value: unknown, syncId: string): UnsubscribeConfig {
  if (value === null || value === undefined) return RECEIVES_ALL;
  const parsed = readStored(unsubscribeSchema, value, `synchronisation ${syncId} unsubscribe list`);
  return parsed.success ? parsed.data : RECEIVES_ALL;
}

/** Whether the list stops anything at all. */
export function unsubscribesFromAnything(list: UnsubscribeConfig): boolean {
  return list.paused || list.objectIds.length > 0 || list.fields.length > 0;
}
