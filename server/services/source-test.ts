// "Test connection" for a REST source: one request with its credentials through the URL guard, and what
// Concord detects in the answer — where the objects are, their id field, the pagination style, a sample.
import type { Db } from '../db/client';
import { restSourceConfig, type RestSourceConfig } from '../sync/config/source-config';
import { readStored } from '../sync/config/stored';
import { readOriginId } from '../sync/core/ids';
import { detectPagination } from '../sync/core/pagination/detect';
import type { ResolvedPagination } from '../sync/core/pagination/config';
import { extractObjects } from '../sync/core/results-position';
import { buildUrl, type HttpClientOptions } from '../sync/http';
import { Redactor, isSensitiveName } from '../sync/http/redact';
import { createRestClient } from '../sync/sources/rest-client';
import { UserError } from './errors';
import { loadSource, readSecrets } from './sources';

/** Tried in this order on the sample object; the first one holding a usable id is suggested. */
export const COMMON_ID_FIELDS = [
  'id',
  'uuid',
  '_id',
  'ID',
  'Id',
  '@attributes.id',
  '@attributes.ID',
  'guid',
  'key',
  'identifier',
  'code',
  'number',
  'slug',
] as const;

const BODY_START_CHARS = 2_000;
/** Objects of the first page handed back for the bench and schema inference. */
export const SAMPLE_OBJECTS = 20;
/** Test connection waits at most this long for the whole answer (or less, as the source says). */
export const TEST_DEADLINE_MS = 15_000;

export interface ConnectionTestInput {
  /** Appended to the base URL, as a synchronisation's endpoint is. */
  endpoint?: string;
  resultsPosition?: string;
  idField?: string;
}

export interface ConnectionTestOptions {
  urlPolicy: { allowPrivateNetworks: boolean };
  /** Test seams (a DNS resolver); the URL policy above always applies. */
  http?: Partial<HttpClientOptions>;
}

export interface Detected {
  /** Where the list of objects is (`_root`, `items`, …), or null when it was not found. */
  resultsPosition: string | null;
  resultsProblem?: string;
  objectCount: number;
  /** The id field given, or the first common one present in the sample; null when none is usable. */
  idField: string | null;
  idProblem?: string;
  pagination: ResolvedPagination;
  sample: unknown;
  /** The first objects of the page (at most SAMPLE_OBJECTS), for a mapping bench or schema inference. */
  samples: unknown[];
}

export type ConnectionTest =
  | {
      ok: true;
      url: string;
      status: number;
      statusText: string;
      timeMs: number;
      headers: Record<string, string>;
      format: string;
      bodyStart: string;
      bodyLength: number;
      detected: Detected;
    }
  | { ok: false; reason: string; status?: number; timeMs: number };

export async function testConnection(
  db: Db,
  orgId: string,
  sourceId: string,
  input: ConnectionTestInput,
  options: ConnectionTestOptions,
): Promise<ConnectionTest> {
  const row = await loadSource(db, orgId, sourceId);
  if (row.type !== 'rest') {
    throw new UserError(
      'BAD_REQUEST',
      row.type === 'sql'
        ? 'This is an SQL source: use its own Test connection, which connects to the database.'
        : 'Only REST sources call out; a file source shows a preview instead.',
    );
  }
  const parsed = readStored(restSourceConfig, row.config, `source ${row.id} settings`);
  if (!parsed.success)
    return {
      ok: false,
      reason: 'The saved settings of this source are not valid: open its settings, correct them and save.',
      timeMs: 0,
    };
  return testRestConnection(parsed.data, readSecrets(row), input, options);
}

/**
 * One request with these settings and secrets (saved or not yet saved) through the URL guard, and what
 * a synchronisation would find in the answer. Failures are values with a reason, never exceptions.
 */
export async function testRestConnection(
  source: RestSourceConfig,
  secrets: Record<string, string>,
  input: ConnectionTestInput,
  options: ConnectionTestOptions,
): Promise<ConnectionTest> {
  const redactor = new Redactor();
  for (const value of Object.values(secrets)) redactor.add(value);
  redactor.addHeaders(source.headers);

  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const first = buildUrl({
    baseUrl: source.baseUrl,
    endpoint: input.endpoint ?? '',
    defaultQuery: source.query,
  });
  if (!first.ok)
    return { ok: false, reason: redactor.text(`The endpoint is not usable: ${first.reason}`), timeMs: 0 };

  let client;
  try {
    // One attempt within a shorter deadline: a person waiting for an answer wants to see the first
    // failure, not a backoff or a minute of trickling.
    client = createRestClient({
      source: { ...source, deadlineMs: Math.min(source.deadlineMs, TEST_DEADLINE_MS) },
      secrets,
      urlPolicy: options.urlPolicy,
      http: { ...options.http, retry: { maxAttempts: 1 } },
    });
  } catch (error) {
    return {
      ok: false,
      reason: redactor.text(error instanceof Error ? error.message : String(error)),
      timeMs: 0,
    };
  }
  try {
    const result = await client.fetch({ url: first.url.href, headers: source.headers });
    const timeMs = elapsed();
    if (!result.ok) {
      return {
        ok: false,
        reason: redactor.text(result.reason),
        timeMs,
        ...(result.status ? { status: result.status } : {}),
      };
    }
    const text = redactor.text(result.text);
    return {
      ok: true,
      url: result.displayUrl,
      status: result.status,
      statusText: result.statusText,
      timeMs,
      headers: safeHeaders(result.headers, redactor),
      format: result.format,
      bodyStart: text.slice(0, BODY_START_CHARS),
      bodyLength: result.text.length,
      detected: detect(result.headers, result.body, input),
    };
  } finally {
    await client.close();
  }
}

/** What a synchronisation of this source would find in the answer. Pure; exported for tests. */
export function detect(headers: Record<string, string>, body: unknown, input: ConnectionTestInput): Detected {
  const pagination = detectPagination({ kind: 'auto' }, { headers, body });
  const extracted = extractObjects(body, input.resultsPosition?.trim() || undefined);
  if (!extracted.ok) {
    return {
      resultsPosition: null,
      resultsProblem: extracted.reason,
      objectCount: 0,
      idField: null,
      pagination,
      sample: null,
      samples: [],
    };
  }
  const sample = extracted.objects[0] ?? null;
  const base = {
    resultsPosition: extracted.position,
    objectCount: extracted.objects.length,
    pagination,
    sample,
    samples: extracted.objects.slice(0, SAMPLE_OBJECTS),
  };
  if (sample === null)
    return { ...base, idField: null, idProblem: 'The list is empty: there is no object to look at.' };
  const wanted = input.idField?.trim();
  if (wanted) {
    const id = readOriginId(sample, wanted);
    return id.ok
      ? { ...base, idField: wanted }
      : { ...base, idField: null, idProblem: `The sample: ${id.reason}.` };
  }
  const found = COMMON_ID_FIELDS.find((field) => readOriginId(sample, field).ok);
  if (found) return { ...base, idField: found };
  return {
    ...base,
    idField: null,
    idProblem: `None of the usual id fields (${COMMON_ID_FIELDS.slice(0, 6).join(', ')}, …) is in the sample.`,
  };
}

// Cookies and anything that looks like a credential are masked; known secrets are masked everywhere.
function safeHeaders(headers: Record<string, string>, redactor: Redactor): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [
      name,
      isSensitiveName(name) ? '***' : redactor.text(value),
    ]),
  );
}
