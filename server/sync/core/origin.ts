// The hub rule: a change fans out to every subscribing system except the one it came from.
import type { ChangeOrigin } from '../ports';

export function isEcho(origin: Pick<ChangeOrigin, 'systemId'>, targetSystemId: string): boolean {
  return origin.systemId === targetSystemId;
}

export function subscribersFor<T extends { readonly systemId: string }>(
  origin: Pick<ChangeOrigin, 'systemId'>,
  subscribers: readonly T[],
): T[] {
  return subscribers.filter((subscriber) => !isEcho(origin, subscriber.systemId));
}
