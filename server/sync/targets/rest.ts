// A REST target: POST (or PUT) to create, PUT/PATCH/POST to update (or a merge patch of the changed
// fields), DELETE to delete (or the configured soft delete request), one request per object with bounded
// concurrency, or through a batch endpoint (rest-batch-endpoint.ts). The engine has already put each
// object through the sync's target mapping. Refusals are per-object results, marked transient when
// they may pass on their own (429, 5xx, a lost connection); only an outage throws.
import type { RestTargetConfig } from '../config/sync-config';
import type { RestSourceConfig } from '../config/source-config';
import { lookupPath } from '../core/paths';
import { mergePatch } from '../core/merge-patch';
import type { HttpClientOptions } from '../http';
import type { RetryNotice } from '../http/types';
import type {
  TargetCreate,
  TargetDeleteResult,
  TargetPort,
  TargetUpdate,
  TargetWriteResult,
  WriteRetry,
} from '../ports';
import { createRestClient } from '../sources/rest-client';
import { credentialsRefused, outage, runBatch, settle } from './rest-batch';
import { createWithoutResult, updateWithoutResult, writeInBatches } from './rest-batch-endpoint';
import type { FindsExisting } from './create-intents';
import { softDeleteBody, storedHash } from './rest-body';
import { findByMatchField } from './rest-match-lookup';
import { findByOwnIdAt, lookupWords } from './rest-own-id-lookup';
import { afterGoneAtId, type GoneAtIdWays } from './rest-gone-at-id';
import { refusal, refusedInAnswer } from './rest-refusal';
import { changedMeanwhile, preconditionHeaders } from './rest-precondition';
import {
  createRedirectedAway,
  redirectedAway,
  updateRedirectedAway,
  writeRedirectedAway,
} from './rest-redirected';
import { buildUrl } from '../http/url';
import { idFromAddress } from './rest-location';
import { refuseSharedIds } from './rest-taken-ids';
import type { KeyHolders } from './sql-taken-keys';
import { createCutOff, createNotConfirmed, unreadAnswer } from './rest-unread';

export interface RestTargetOptions {
  systemId: string;
  /** The target system's connection: base URL, headers, timeout, authentication. */
  source: RestSourceConfig;
  secrets: Record<string, string>;
  target: RestTargetConfig;
  urlPolicy: { allowPrivateNetworks: boolean };
  http?: Partial<HttpClientOptions>;
  /** Requests in flight per batch (default 4). */
  concurrency?: number;
  /**
   * An update answered 404/410 at the object's id may be created again where that cannot make a second
   * copy (rest-gone-at-id.ts); `false`: refused as any 4xx (a two-way write-back, whose listing decides
   * what a record gone at the source means).
   */
  createsGone?: boolean;
  /** The moment a soft delete records (`{{now}}`); tests fix it. */
  now?: () => Date;
  /**
   * Which objects of the synchronisation hold target ids by their live contracts: a create answered with
   * one of them is not linked (rest-taken-ids.ts). Left out: only ids shared within a batch are caught.
   */
  idHolders?: KeyHolders;
}

export type RestTarget = TargetPort & FindsExisting & { close(): Promise<void> };

/** One write's retries, as its request is told them, carried on its answer for the run's timeline. */
function retriesOf(method: string, originId: string) {
  const retries: WriteRetry[] = [];
  return {
    hook: (retry: RetryNotice) =>
      retries.push({ ...retry, at: Date.now(), request: `${method} for ${originId}` }),
    on: <R extends TargetWriteResult>(result: R): R =>
      retries.length === 0 ? result : { ...result, retries },
  };
}

/** Throws at once when a secret the authentication needs is missing. */
export function createRestTarget(o: RestTargetOptions): RestTarget {
  const { target } = o;
  // The target system's own headers and query parameters go with every write, as with every read.
  const client = createRestClient({
    ...o,
    headers: o.source.headers,
    http: { ...o.http, query: { ...o.source.query, ...o.http?.query } },
  });
  const concurrency = Math.max(1, o.concurrency ?? 4);
  const now = o.now ?? (() => new Date());

  const batch = target.batch;

  /** An update's body and method: the whole object, or (sendChangedFields) a merge patch against the last. */
  function updateRequest(item: TargetUpdate, idKey: string | undefined) {
    const patch =
      target.sendChangedFields && item.sentBefore ? mergePatch(item.sentBefore, item.object) : null;
    // The id goes in as the contract holds it: text, as every target id is kept.
    const withId = (body: Readonly<Record<string, unknown>>) =>
      idKey ? { ...body, [idKey]: item.targetId } : body;
    return {
      method: patch ? 'PATCH' : target.updateMethod,
      body: withId(patch ?? item.object),
      /** What the target holds after it, if it answers nothing of its own. */
      whole: withId(item.object),
    };
  }

  /** The URL an update of this object goes to under `targetId`, as the client builds it (null: it cannot). */
  function updateUrlOf(item: TargetCreate) {
    return (targetId: string): URL | null => {
      const built = buildUrl({
        baseUrl: o.source.baseUrl,
        endpoint: target.updateEndpoint,
        record: { targetId, originId: item.originId, object: item.object },
      });
      return built.ok ? built.url : null;
    };
  }

  /** One create, one request. */
  async function sendCreate(item: TargetCreate) {
    const sent = item.object;
    const retries = retriesOf(target.createMethod, item.originId);
    const http = await client.send({
      onRetry: retries.hook,
      endpoint: target.createEndpoint,
      record: { originId: item.originId, object: sent },
      method: target.createMethod,
      // Lets a target that supports it recognise a repeated POST (a retry, a retried step) as a repeat.
      headers: { 'idempotency-key': item.idempotencyKey },
      // Retried at once only after an answer saying it failed: many targets ignore the key, so one
      // that may have landed unseen (the connection cut once sent, a gateway's 504) is not sent again
      // blind — its intent, still `sending`, makes the next run look for it first.
      repeatable: 'when-answered',
      body: sent,
    });
    const away = redirectedAway(http);
    const unread = unreadAnswer(http);
    // An answer whose body does not name the id may still name the object's address (rest-location.ts).
    const located = http.ok && !away ? idFromAddress(http, target.createMethod, updateUrlOf(item)) : null;
    const result = retries.on(
      away
        ? createRedirectedAway(item.originId, away, lookupOf(item), 'create')
        : unread && located === null
          ? createNotConfirmed(item.originId, unread, lookupOf(item))
          : http.ok
            ? (refusedInAnswer(item.originId, http, target.errorPath, 'created') ??
              created(item, http.status, http.body, located))
            : http.afterSending
              ? createCutOff(item.originId, http.reason, lookupOf(item))
              : refusal(item.originId, http),
    );
    return { http, result };
  }

  async function createOneByOne(items: readonly TargetCreate[]) {
    return settle(await runBatch(items, concurrency, sendCreate), items, 'created');
  }

  /** One update, one request; `gone`: what a 404 at the object's id leads to (rest-gone-at-id.ts). */
  async function sendUpdate(item: TargetUpdate, gone: 'look-further' | 'refuse') {
    const request = updateRequest(item, target.idInRequestBody);
    const retries = retriesOf(request.method, item.originId);
    const http = await client.send({
      onRetry: retries.hook,
      endpoint: target.updateEndpoint,
      record: { targetId: item.targetId, originId: item.originId, object: item.object },
      method: request.method,
      // The whole object as a PUT, or a merge patch: sending it twice leaves the same result.
      repeatable: request.method !== 'POST',
      body: request.body,
      headers: preconditionHeaders(item.precondition),
    });
    const notThere = http.status === 404 || http.status === 410;
    let result: TargetWriteResult;
    const away = writeRedirectedAway(item.originId, http, 'update');
    const changed = changedMeanwhile(item.originId, http, item.precondition);
    const refused = http.ok ? refusedInAnswer(item.originId, http, target.errorPath, 'updated') : null;
    if (away) result = away;
    else if (changed) result = changed;
    else if (refused) result = refused;
    // An answer it cannot read is still the target taking the update: what it holds is what was sent.
    else if (http.ok || unreadAnswer(http))
      result = {
        originId: item.originId,
        ok: true,
        targetId: item.targetId,
        targetHash: storedHash(http.ok ? http.body : null, request.whole),
      };
    // Update only: an object the target does not have is left alone, not an error.
    else if (item.ifExists && notThere)
      result = {
        originId: item.originId,
        ok: false,
        reason: 'the target has no such object',
        absent: true,
      };
    else if (!http.ok && notThere && gone === 'look-further' && o.createsGone !== false)
      result = await afterGoneAtId(item, http, goneAtId);
    else result = refusal(item.originId, http);
    return { http, result: retries.on(result) };
  }

  async function updateOneByOne(items: readonly TargetUpdate[]) {
    const outcome = await runBatch(items, concurrency, (item) => sendUpdate(item, 'look-further'));
    return settle(outcome, items, 'updated');
  }

  const findByMatch = (item: TargetCreate) => findByMatchField(client, target, item);

  // How an update's object that is gone at its id can be written without a second copy.
  const goneAtId: GoneAtIdWays = {
    createsAtOwnAddress:
      target.createMethod === 'PUT' && target.createEndpoint.includes('{{')
        ? `PUT ${target.createEndpoint}`
        : null,
    match: target.match ? { field: target.match.field, find: findByMatch } : null,
    create: async (item) => (await sendCreate(item)).result,
    updateAt: async (item, targetId) => (await sendUpdate({ ...item, targetId }, 'refuse')).result,
  };

  /**
   * A create the target answered with `body` (for a batch, the object's entry in the answer);
   * `located`: the id its Location header named, taken when the body names none.
   */
  function created(
    item: TargetCreate,
    status: number,
    body: unknown,
    located: string | null = null,
  ): TargetWriteResult {
    const id = lookupPath(body, target.idPath);
    const inBody = id.found ? id.value : undefined;
    const named = (typeof inBody === 'string' && inBody !== '') || typeof inBody === 'number';
    const value = named ? inBody : (located ?? undefined);
    if ((typeof value !== 'string' || value === '') && typeof value !== 'number') {
      const said = `an answer without an id at \`${target.idPath}\``;
      return createNotConfirmed(item.originId, { status, said }, lookupOf(item));
    }
    return {
      originId: item.originId,
      ok: true,
      targetId: String(value),
      // A body that does not name the object is not the object: it holds what was sent.
      targetHash: storedHash(named ? body : null, item.object),
    };
  }

  const lookupOf = (item: TargetCreate) => lookupWords(target, item);
  const findByOwnId = (item: TargetCreate) => findByOwnIdAt(client, target, item);

  /** Every create, one by one or through the batch endpoint, answered in the order of `items`. */
  async function createAll(items: readonly TargetCreate[]): Promise<TargetWriteResult[]> {
    if (!batch?.createEndpoint) return createOneByOne(items);
    const sent = await writeInBatches(
      client,
      items.map((item) => ({ originId: item.originId, body: item.object, key: item.idempotencyKey })),
      { endpoint: batch.createEndpoint, method: batch.createMethod, config: batch, needsEntries: true },
    );
    if (sent.outage !== null) throw outage('created', sent.outage);
    if (sent.credentials !== null) throw credentialsRefused('created', sent.credentials);
    return items.map((item, i): TargetWriteResult => {
      const outcome = sent.outcomes[i]!;
      if (outcome.kind === 'failed')
        return outcome.http.afterSending
          ? createCutOff(item.originId, outcome.http.reason, lookupOf(item))
          : refusal(item.originId, outcome.http);
      if (outcome.kind === 'redirected')
        return createRedirectedAway(item.originId, outcome.away, lookupOf(item), 'batch create');
      if (outcome.kind === 'unmatched')
        return { originId: item.originId, ok: false, reason: outcome.reason, mayExist: true };
      if (outcome.kind === 'empty') return createWithoutResult(item.originId, outcome, lookupOf(item));
      if (outcome.kind === 'refused') return { originId: item.originId, ok: false, reason: outcome.reason };
      return created(item, outcome.status, outcome.entry);
    });
  }

  return {
    systemId: o.systemId,

    async create(items) {
      const results = await createAll(items);
      return refuseSharedIds(items, results, target.idPath, o.idHolders ?? null, lookupOf);
    },

    async update(items) {
      // Update only needs the target's own answer per object (404: it has no such object): one by one.
      const batched = batch?.updateEndpoint ? items.filter((item) => !item.ifExists) : [];
      if (!batch?.updateEndpoint || batched.length === 0) return updateOneByOne(items);
      const idKey = target.idInRequestBody ?? 'id';
      const requests = batched.map((item) => updateRequest(item, idKey));
      const sent = await writeInBatches(
        client,
        batched.map((item, i) => ({
          originId: item.originId,
          body: requests[i]!.body,
          key: `${item.origin.runId}:${item.originId}:${item.hash ?? ''}`,
        })),
        { endpoint: batch.updateEndpoint, method: batch.updateMethod, config: batch, needsEntries: false },
      );
      if (sent.outage !== null) throw outage('updated', sent.outage);
      if (sent.credentials !== null) throw credentialsRefused('updated', sent.credentials);
      const results = batched.map((item, i): TargetWriteResult => {
        const outcome = sent.outcomes[i]!;
        if (outcome.kind === 'failed') return refusal(item.originId, outcome.http);
        if (outcome.kind === 'redirected')
          return updateRedirectedAway(item.originId, outcome.away, 'batch update');
        if (outcome.kind === 'unmatched')
          return { originId: item.originId, ok: false, reason: outcome.reason };
        // Not a written object: the target answered null (or false) for it, or an error.
        if (outcome.kind === 'empty') return updateWithoutResult(item.originId, outcome);
        if (outcome.kind === 'refused') return { originId: item.originId, ok: false, reason: outcome.reason };
        const targetHash = storedHash(outcome.entry, requests[i]!.whole);
        return { originId: item.originId, ok: true, targetId: item.targetId, targetHash };
      });
      const single = items.filter((item) => item.ifExists);
      return single.length > 0 ? [...results, ...(await updateOneByOne(single))] : results;
    },

    // 'soft' sends the configured request that marks the object deleted (by default a PATCH of
    // `{ "deleted": true }`); 'hard' sends DELETE.
    async delete(batch, policy) {
      const soft = target.softDelete;
      const outcome = await runBatch(batch, concurrency, async (item) => {
        const record = { targetId: item.targetId, originId: item.originId };
        const http = await client.send(
          policy === 'soft'
            ? {
                endpoint: soft.endpoint ?? target.deleteEndpoint,
                record,
                method: soft.method,
                repeatable: soft.method !== 'POST',
                body: softDeleteBody(soft.body, now()),
                headers: preconditionHeaders(item.precondition),
              }
            : {
                endpoint: target.deleteEndpoint,
                record,
                method: 'DELETE',
                headers: preconditionHeaders(item.precondition),
              },
        );
        // Already gone is what a delete wants, and a retried step may delete twice. A 2xx it cannot read
        // is the target taking the deletion all the same.
        const away = writeRedirectedAway(item.originId, http, 'deletion');
        const gone = http.ok || unreadAnswer(http) !== null || http.status === 404 || http.status === 410;
        const changed = changedMeanwhile(item.originId, http, item.precondition);
        const refused = http.ok ? refusedInAnswer(item.originId, http, target.errorPath, 'deleted') : null;
        const result: TargetDeleteResult = away
          ? away
          : changed
            ? changed
            : refused
              ? refused
              : gone
                ? { originId: item.originId, ok: true }
                : refusal(item.originId, http);
        return { http, result };
      });
      return settle(outcome, batch, 'deleted');
    },

    // Asked only about a create an interrupted attempt may have made (targets/create-intents.ts).
    findExisting: (item) => (target.match ? findByMatch(item) : findByOwnId(item)),

    close: () => client.close(),
  };
}
