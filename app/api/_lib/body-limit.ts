// A cap on what a route handler reads into memory. Next does not bound the body of a route handler, and
// tRPC's fetch adapter reads it whole before any procedure (or its permission check) runs, so without
// this anyone could make the process hold a body of any size.
import { readBounded } from '@/server/api/read-bounded';
import { problem } from './json-body';

/** tRPC inputs are configuration, samples and id lists: generous, yet bounded. */
export const TRPC_MAX_BODY_BYTES = 8 * 1024 * 1024;

const tooLarge = (max: number) =>
  problem(413, `The request body is larger than ${Math.round(max / (1024 * 1024))} MiB.`);

/**
 * The request with its body read, when it is at most `max` bytes; otherwise a 413 answer. A declared
 * Content-Length over the cap is refused before reading; a body without one is counted as it arrives
 * and cut off at the cap.
 */
export async function withBodyLimit(req: Request, max: number): Promise<Request | Response> {
  if (req.body === null) return req;
  const declared = Number(req.headers.get('content-length') ?? 0);
  if (declared > max) return tooLarge(max);
  const body = await readBounded(req.body, max);
  if (body === null) return tooLarge(max);
  return new Request(req, { body });
}
