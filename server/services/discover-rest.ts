// Discovering a REST source's data types: one page of each endpoint a person names, fetched as
// "Test connection" fetches it (the source's credentials, the URL guard, one attempt, a short deadline),
// then the results position and id field detected and the fields inferred from the page's objects.
import type { sources } from '../db/schema';
import { restSourceConfig } from '../sync/config/source-config';
import { readStored } from '../sync/config/stored';
import { fieldsFromSamples, type DataType } from '../sync/core/discover';
import { isRecord } from '../sync/core/paths';
import { extractObjects } from '../sync/core/results-position';
import { buildUrl, type HttpClientOptions } from '../sync/http';
import { Redactor } from '../sync/http/redact';
import { createRestClient } from '../sync/sources/rest-client';
import { detect, TEST_DEADLINE_MS } from './source-test';
import { readSecrets } from './sources';

/** The objects of a page that fields are inferred from. */
const SAMPLE_OBJECTS = 50;

export type EndpointDiscovery =
  { ok: true; type: DataType } | { ok: false; endpoint: string; reason: string };

export async function discoverRest(
  row: typeof sources.$inferSelect,
  endpoints: readonly string[],
  options: { urlPolicy: { allowPrivateNetworks: boolean }; http?: Partial<HttpClientOptions> },
): Promise<EndpointDiscovery[]> {
  const parsed = readStored(restSourceConfig, row.config, `source ${row.id} settings`);
  if (!parsed.success)
    return endpoints.map((endpoint) => ({
      ok: false,
      endpoint,
      reason: 'The source configuration is not valid.',
    }));
  const source = parsed.data;
  const secrets = readSecrets(row);
  const redactor = new Redactor();
  for (const value of Object.values(secrets)) redactor.add(value);
  redactor.addHeaders(source.headers);
  const failed = (endpoint: string, reason: string): EndpointDiscovery => ({
    ok: false,
    endpoint,
    reason: redactor.text(reason),
  });
  let client;
  try {
    client = createRestClient({
      source: { ...source, deadlineMs: Math.min(source.deadlineMs, TEST_DEADLINE_MS) },
      secrets,
      urlPolicy: options.urlPolicy,
      http: { ...options.http, retry: { maxAttempts: 1 } },
    });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return endpoints.map((endpoint) => failed(endpoint, reason));
  }
  try {
    const found: EndpointDiscovery[] = [];
    // One after the other: a person waits for a handful of endpoints, and the source is not rushed.
    for (const endpoint of endpoints) {
      const url = buildUrl({ baseUrl: source.baseUrl, endpoint, defaultQuery: source.query });
      if (!url.ok) {
        found.push(failed(endpoint, `The endpoint is not usable: ${url.reason}`));
        continue;
      }
      const result = await client.fetch({ url: url.url.href, headers: source.headers });
      if (!result.ok) {
        found.push(failed(endpoint, result.reason));
        continue;
      }
      const detected = detect(result.headers, result.body, {});
      if (detected.resultsPosition === null) {
        found.push(
          failed(endpoint, detected.resultsProblem ?? 'No list of objects was found in the answer.'),
        );
        continue;
      }
      const extracted = extractObjects(result.body, detected.resultsPosition);
      const samples = (extracted.ok ? extracted.objects : []).filter(isRecord).slice(0, SAMPLE_OBJECTS);
      found.push({
        ok: true,
        type: {
          name: nameOfEndpoint(endpoint),
          kind: 'endpoint',
          endpoint,
          resultsPosition: detected.resultsPosition,
          fields: fieldsFromSamples(samples, detected.idField, { idGivenBySource: true }),
          idField: detected.idField,
          problem:
            samples.length === 0
              ? 'The first page holds no objects to learn the fields from.'
              : detected.idField
                ? null
                : (detected.idProblem ?? 'No id field was found in the objects.'),
        },
      });
    }
    return found;
  } finally {
    await client.close();
  }
}

/** `/api/people?_page=1` → `people`: the last segment of the path, as people name the collection. */
export function nameOfEndpoint(endpoint: string): string {
  const path = endpoint.split(/[?#]/)[0] ?? '';
  const segments = path.split('/').filter(Boolean);
  return decodeSafe(segments.at(-1) ?? '') || endpoint.trim() || 'objects';
}

function decodeSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
