// The hub's routing rule: which push subscribers a register change goes to. A change never goes back
// to where it came from — not to a synchronisation whose target is the system the change came from,
// and not to the synchronisation that made it — or two systems would echo it to each other forever.
// Nor to a subscriber that unsubscribed (seed 004): paused, or not wanting changes of this object.

/** Where a register change came from; both null when a person made it (UI, API). */
export interface ChangeSource {
  /** The source of the synchronisation that wrote the change (ChangeOrigin.systemId). */
  readonly systemId: string | null;
  readonly syncId: string | null;
}

export const BY_A_PERSON: ChangeSource = { systemId: null, syncId: null };

/** A synchronisation that reads a register schema and writes elsewhere. */
export interface PushSubscriber {
  readonly id: string;
  readonly targetType: 'register' | 'source';
  /** The system it writes to, when that is not the register. */
  readonly targetSourceId: string | null;
  /** What it unsubscribed from; absent or null: it receives everything. */
  readonly unsubscribe?: Unsubscribed | null;
}

/** The part of a subscriber's unsubscribe list routing decides (fields are left out by the engine). */
export interface Unsubscribed {
  /** Receives nothing: changes made meanwhile are not queued for it, and not delivered later. */
  readonly paused: boolean;
  /** Changes of these objects are not sent: register object ids or the objects' id-field values. */
  readonly objectIds: readonly string[];
}

/** The object a change is of: its register id and, when it can be read, its id-field value. */
export interface ChangedObject {
  readonly objectId: string;
  readonly originId?: string | null;
}

/**
 * Whether `subscriber` gets a change from `origin`. Without `object`, whether it may get some change
 * from there (an object-level unsubscribe cannot be decided yet).
 */
export function receivesChange(
  subscriber: PushSubscriber,
  origin: ChangeSource,
  object?: ChangedObject,
): boolean {
  if (subscriber.unsubscribe?.paused) return false;
  if (object && unsubscribedFrom(subscriber, object)) return false;
  if (origin.syncId !== null && origin.syncId === subscriber.id) return false;
  if (origin.systemId === null || subscriber.targetType !== 'source') return true;
  return subscriber.targetSourceId !== origin.systemId;
}

function unsubscribedFrom(subscriber: PushSubscriber, object: ChangedObject): boolean {
  const ids = subscriber.unsubscribe?.objectIds ?? [];
  if (ids.length === 0) return false;
  // Exact matches only (as restrictDeletion): "12" never stands for "123".
  return ids.includes(object.objectId) || (object.originId != null && ids.includes(object.originId));
}

/** Whether some subscriber names objects it does not want: only then are the objects' ids read. */
export function needsOriginIds(subscribers: readonly PushSubscriber[]): boolean {
  return subscribers.some((s) => !s.unsubscribe?.paused && (s.unsubscribe?.objectIds.length ?? 0) > 0);
}
