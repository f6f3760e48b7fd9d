// What a sign-in request said about its client (browser and address), for the session it starts. The
// next-auth callbacks that record the session get no request, so the route handler runs next-auth inside
// this request's client (AsyncLocalStorage follows the awaits) and startSession reads it from there.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface SignInClient {
  userAgent: string | null;
  address: string | null;
}

const USER_AGENT_KEPT = 300;
const storage = new AsyncLocalStorage<SignInClient>();

/** Runs `fn` (next-auth answering one request) with that request's client. */
export function withSignInClient<T>(client: SignInClient, fn: () => T): T {
  return storage.run({ ...client, userAgent: client.userAgent?.slice(0, USER_AGENT_KEPT) ?? null }, fn);
}

/** The client of the sign-in being answered; nothing known outside a request (tests, jobs). */
export const signInClient = (): SignInClient => storage.getStore() ?? { userAgent: null, address: null };
