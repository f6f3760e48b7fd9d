// The URL guard: a sync configured by a user must not become a way into our own network. Checks the
// scheme, refuses credentials in URLs, resolves the host and refuses internal addresses, and supplies
// the same check to the socket's DNS lookup so that a second, different answer (DNS rebinding) fails too.
import { lookup as dnsLookup } from 'node:dns/promises';
import type { LookupFunction } from 'node:net';
import { isIP } from 'node:net';
import { blockedBecause } from './addresses';
import { parseUrl } from './url';

export interface UrlPolicy {
  /** For on-premises installations that sync with systems on their own network. */
  allowPrivateNetworks: boolean;
}

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Resolves a host name to all its addresses; injectable so tests can play any DNS answer. */
export type ResolveHost = (hostname: string) => Promise<ResolvedAddress[]>;

export const systemResolver: ResolveHost = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

export type UrlCheck = { ok: true; url: URL; addresses: ResolvedAddress[] } | { ok: false; reason: string };

export async function checkUrl(
  input: string | URL,
  policy: UrlPolicy,
  resolve: ResolveHost = systemResolver,
): Promise<UrlCheck> {
  const url = typeof input === 'string' ? parseUrl(input) : input;
  if (!url) return { ok: false, reason: `"${String(input).slice(0, 200)}" is not a valid URL.` };
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return {
      ok: false,
      reason: `Only http and https URLs can be called, not ${url.protocol.replace(/:$/, '')}.`,
    };
  }
  if (url.username || url.password) {
    return {
      ok: false,
      reason: 'The URL contains a user name or password; configure them as authentication instead.',
    };
  }
  const host = await checkHost(hostOf(url), policy, resolve);
  return host.ok ? { ok: true, url, addresses: host.addresses } : host;
}

export type HostCheck = { ok: true; addresses: ResolvedAddress[] } | { ok: false; reason: string };

/**
 * The same policy for a bare host name or IP address (a database host): resolves it and refuses it when
 * any of its addresses is refused. Connect to one of the returned addresses, never to the name again.
 */
export async function checkHost(
  host: string,
  policy: UrlPolicy,
  resolve: ResolveHost = systemResolver,
): Promise<HostCheck> {
  const resolved = await resolveAll(host, resolve);
  if (!resolved.ok) return resolved;
  const refusal = refuse(host, resolved.addresses, policy);
  return refusal ? { ok: false, reason: refusal } : resolved;
}

/** A `lookup` for sockets (undici's `connect.lookup`) that resolves with `resolve` and applies the policy. */
export function guardedLookup(policy: UrlPolicy, resolve: ResolveHost = systemResolver): LookupFunction {
  return (hostname, options, callback) => {
    // resolveAll never rejects: DNS errors come back as values.
    void resolveAll(hostname, resolve).then((resolved) => {
      const reason = resolved.ok ? refuse(hostname, resolved.addresses, policy) : resolved.reason;
      if (!resolved.ok || reason) return callback(new BlockedAddressError(reason ?? 'refused'), '', 0);
      const family = options.family === 4 || options.family === 6 ? options.family : undefined;
      const usable = resolved.addresses.filter((a) => !family || a.family === family);
      const first = usable[0];
      if (!first) return callback(new BlockedAddressError(`${hostname} has no IPv${family} address.`), '', 0);
      if (options.all) return callback(null, usable);
      callback(null, first.address, first.family);
    });
  };
}

/** Raised inside the socket layer only; the transport turns it back into a failure value. */
export class BlockedAddressError extends Error {
  readonly code = 'ERR_CONCORD_BLOCKED_ADDRESS';
}

// Any refused address refuses the host: an attacker controls which of several answers a client uses.
function refuse(host: string, addresses: ResolvedAddress[], policy: UrlPolicy): string | undefined {
  for (const { address } of addresses) {
    const why = blockedBecause(address);
    if (!why) continue;
    const named = host === address ? address : `${host} resolves to ${address}`;
    if (why === 'the cloud metadata service')
      return `${named}, the cloud metadata service, which is never called.`;
    if (!policy.allowPrivateNetworks) {
      return `${named}, ${why}; calls into private networks are not allowed for this source.`;
    }
  }
  return undefined;
}

async function resolveAll(
  host: string,
  resolve: ResolveHost,
): Promise<{ ok: true; addresses: ResolvedAddress[] } | { ok: false; reason: string }> {
  if (isIP(host)) return { ok: true, addresses: [{ address: host, family: isIP(host) }] };
  try {
    const addresses = await resolve(host);
    if (addresses.length > 0) return { ok: true, addresses };
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    return {
      ok: false,
      reason: `The host ${host} could not be resolved${typeof code === 'string' ? ` (${code})` : ''}.`,
    };
  }
  return { ok: false, reason: `The host ${host} has no addresses.` };
}

// URL keeps IPv6 literals in brackets; DNS and isIP want them bare.
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1');
}
