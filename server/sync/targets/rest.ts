// A REST target: POST (or PUT) to create, PUT/PATCH/POST to update, DELETE to delete (or the configured
// soft delete request), one request per object with bounded concurrency. Bodies go through the sync's
// target mapping. Refusals are per-object results; only an outage throws.
import type { RestTargetConfig } from '../config/sync-config';
import type { RestSourceConfig } from '../config/source-config';
import { hashValue } from '../core/canonical-json';
import type { CompiledMapping } from '../core/mapping';
import { isRecord, lookupPath } from '../core/paths';
import type { HttpClientOptions, HttpResult } from '../http';
import type { TargetDeleteResult, TargetPort, TargetWriteResult } from '../ports';
import { createRestClient } from '../sources/rest-client';
import { runBatch, type BatchOutcome } from './rest-batch';
import { outgoingBody, softDeleteBody } from './rest-body';

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
  /** The sync's target mapping: turns each synchronised object into the body the target expects. */
  bodyMapping?: CompiledMapping | null;
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
        const body = outgoingBody(o.bodyMapping, item.object);
        if (!body.ok) return { http: null, result: refused(item.originId, body.reason) };
        const sent = body.value;
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
        const body = outgoingBody(o.bodyMapping, item.object);
        if (!body.ok) return { http: null, result: refused(item.originId, body.reason) };
        const key = target.idInRequestBody;
        // The id goes in as the contract holds it: text, as every target id is kept.
        const sent = key ? { ...body.value, [key]: item.targetId } : body.value;
        const http = await client.send({
          endpoint: target.updateEndpoint,
          record: { targetId: item.targetId, originId: item.originId, object: item.object },
          method: target.updateMethod,
          body: sent,
        });
        const result: TargetWriteResult = http.ok
          ? { originId: item.originId, ok: true, targetId: item.targetId, targetHash: storedHash(http, sent) }
          : { originId: item.originId, ok: false, reason: http.reason };
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
          : { originId: item.originId, ok: false, reason: http.reason };
        return { http, result };
      });
      return settle(outcome, batch, 'deleted');
    },

    close: () => client.close(),
  };
}

const refused = (originId: string, reason: string): TargetWriteResult => ({ originId, ok: false, reason });

function created(
  originId: string,
  http: HttpResult,
  sent: Readonly<Record<string, unknown>>,
  idPath: string,
): TargetWriteResult {
  if (!http.ok) return { originId, ok: false, reason: http.reason };
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

type Failed = { readonly originId: string; readonly ok: false; readonly reason: string };

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
        },
  );
}
