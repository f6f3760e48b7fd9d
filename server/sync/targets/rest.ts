// A REST target: POST (or PUT) to create, PUT/PATCH/POST to update, DELETE to delete (or the configured
// soft delete request), one request per object with bounded concurrency. The engine has already put
// each object through the sync's target mapping. Refusals are per-object results, marked transient when
// they may pass on their own (429, 5xx, a lost connection); only an outage throws.
import type { RestTargetConfig } from '../config/sync-config';
import type { RestSourceConfig } from '../config/source-config';
import { hashValue } from '../core/canonical-json';
import { isRecord, lookupPath } from '../core/paths';
import type { HttpClientOptions, HttpFailure, HttpResult } from '../http';
import type { TargetDeleteResult, TargetPort, TargetRefusal, TargetWriteResult } from '../ports';
import { createRestClient } from '../sources/rest-client';
import { runBatch, type BatchOutcome } from './rest-batch';
import { softDeleteBody } from './rest-body';

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
  /** The moment a soft delete records (`{{now}}`); tests fix it. */
  now?: () => Date;
}

export type RestTarget = TargetPort & { close(): Promise<void> };

/** Throws at once when a secret the authentication needs is missing. */
export function createRestTarget(o: RestTargetOptions): RestTarget {
  const { target } = o;
  const client = createRestClient({ ...o, headers: o.source.headers });
  const concurrency = Math.max(1, o.concurrency ?? 4);
  const now = o.now ?? (() => new Date());

  return {
    systemId: o.systemId,

    async create(batch) {
      const outcome = await runBatch(batch, concurrency, async (item) => {
        const sent = item.object;
        const http = await client.send({
          endpoint: target.createEndpoint,
          record: { originId: item.originId, object: sent },
          method: target.createMethod,
          // Lets a target that supports it recognise a retried step's second POST as a repeat.
          headers: { 'idempotency-key': item.idempotencyKey },
          body: sent,
        });
        return { http, result: created(item.originId, http, sent, target.idPath) };
      });
      return settle(outcome, batch, 'created');
    },

    async update(batch) {
      const outcome = await runBatch(batch, concurrency, async (item) => {
        const key = target.idInRequestBody;
        // The id goes in as the contract holds it: text, as every target id is kept.
        const sent = key ? { ...item.object, [key]: item.targetId } : item.object;
        const http = await client.send({
          endpoint: target.updateEndpoint,
          record: { targetId: item.targetId, originId: item.originId, object: item.object },
          method: target.updateMethod,
          body: sent,
        });
        let result: TargetWriteResult;
        if (http.ok)
          result = {
            originId: item.originId,
            ok: true,
            targetId: item.targetId,
            targetHash: storedHash(http, sent),
          };
        // Update only: an object the target does not have is left alone, not an error.
        else if (item.ifExists && (http.status === 404 || http.status === 410))
          result = {
            originId: item.originId,
            ok: false,
            reason: 'the target has no such object',
            absent: true,
          };
        else result = refusal(item.originId, http);
        return { http, result };
      });
      return settle(outcome, batch, 'updated');
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
                body: softDeleteBody(soft.body, now()),
              }
            : { endpoint: target.deleteEndpoint, record, method: 'DELETE' },
        );
        // Already gone is what a delete wants, and a retried step may delete twice.
        const gone = http.ok || http.status === 404 || http.status === 410;
        const result: TargetDeleteResult = gone
          ? { originId: item.originId, ok: true }
          : refusal(item.originId, http);
        return { http, result };
      });
      return settle(outcome, batch, 'deleted');
    },

    close: () => client.close(),
  };
}

/**
 * A failed request as a per-object refusal. Rate limits, server errors and lost connections are
 * transient (the object is sent again next run); any other answer is the target refusing the object,
 * which is not sent again until it changes.
 */
function refusal(originId: string, http: HttpFailure): TargetRefusal {
  const status = http.status ?? 0;
  const transient =
    http.kind === 'network' ||
    http.kind === 'timeout' ||
    http.kind === 'rate-limited' ||
    status === 408 ||
    status === 429 ||
    status >= 500;
  return transient
    ? { originId, ok: false, reason: http.reason, transient }
    : { originId, ok: false, reason: http.reason };
}

function created(
  originId: string,
  http: HttpResult,
  sent: Readonly<Record<string, unknown>>,
  idPath: string,
): TargetWriteResult {
  if (!http.ok) return refusal(originId, http);
  const id = lookupPath(http.body, idPath);
  const value = id.found ? id.value : undefined;
  if ((typeof value !== 'string' || value === '') && typeof value !== 'number') {
    return {
      originId,
      ok: false,
      reason: `the target answered ${http.status} but its response has no id at \`${idPath}\``,
    };
  }
  return { originId, ok: true, targetId: String(value), targetHash: storedHash(http, sent) };
}

/** The hash of what the target stored, as it answered it; of what was sent when it answered no object. */
function storedHash(http: HttpResult & { ok: true }, sent: unknown): string {
  return hashValue(isRecord(http.body) ? http.body : sent);
}

type Failed = TargetRefusal;

function settle<R>(
  outcome: BatchOutcome<R>,
  batch: readonly { originId: string }[],
  verb: string,
): (R | Failed)[] {
  // Nothing reached the target: throwing lets the durable step retry the whole batch later.
  if (outcome.outage !== null)
    throw new Error(`The target could not be reached; nothing was ${verb}. ${outcome.outage}`);
  return outcome.results.map((entry, index) =>
    'result' in entry
      ? entry.result
      : {
          originId: batch[index]?.originId ?? '',
          ok: false,
          reason: `Not sent: the target stopped answering (${entry.notSent})`,
          transient: true,
        },
  );
}
