// Reads a request's JSON body for the public endpoints: a size cap, a depth cap, and a clear reason when
// it is not JSON or not what the endpoint takes. An empty body is `undefined`.
import { nestedDeeperThan, nestingReason } from '@/server/sync/core/nesting';

const MAX_BYTES = 1024 * 1024;

export type BodyResult = { ok: true; value: unknown } | { ok: false; status: number; reason: string };

export async function readJsonBody(req: Request): Promise<BodyResult> {
  const length = Number(req.headers.get('content-length') ?? 0);
  if (length > MAX_BYTES)
    return { ok: false, status: 413, reason: `The body is larger than ${MAX_BYTES} bytes.` };
  const text = await req.text();
  if (text.length > MAX_BYTES)
    return { ok: false, status: 413, reason: `The body is larger than ${MAX_BYTES} bytes.` };
  if (text.trim() === '') return { ok: true, value: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text) as unknown;
  } catch (error) {
    return { ok: false, status: 400, reason: `The body is not valid JSON: ${(error as Error).message}` };
  }
  if (nestedDeeperThan(value)) return { ok: false, status: 400, reason: `${nestingReason('The body')}.` };
  return { ok: true, value };
}

export const problem = (status: number, reason: string) => Response.json({ error: reason }, { status });
