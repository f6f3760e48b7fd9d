// The hub's routing rule: which push subscribers a register change goes to. A change never goes back
// to where it came from — not to a synchronisation whose target is the system the change came from,
// and not to the synchronisation that made it — or two systems would echo it to each other forever.

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
}

export function receivesChange(subscriber: PushSubscriber, origin: ChangeSource): boolean {
  if (origin.syncId !== null && origin.syncId === subscriber.id) return false;
  if (origin.systemId === null || subscriber.targetType !== 'source') return true;
  return subscriber.targetSourceId !== origin.systemId;
}
