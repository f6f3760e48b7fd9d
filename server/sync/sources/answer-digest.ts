// The digest of a REST page's answer (SourcePage.digest, core/page-memo.ts): equal for two answers only
// when they make the same objects. It hashes the body's bytes as they came: the same bytes read with the
// same content type (its charset) and settings decode and parse to the same objects. Hashing them costs
// a fraction of serialising the parsed objects again (0.2–0.3 CPU-s per 100,000 objects), and of
// hashing the decoded text, whose UTF-16 form is twice the bytes and had to be copied out of V8 first
// (issue 14). It is taken before the body is parsed (the format follows from the bytes and the content
// type), so that an answer the page's memo knows need not be parsed at all.
import { createHash } from 'node:crypto';

export interface Answer {
  /** The body as received, before decoding. */
  readonly bytes: Uint8Array;
  /** What decides how it is parsed, with the settings: its content type (the format, the charset). */
  readonly contentType: string | undefined;
  /** The URLs its next links were anchored between (sources/rest-links.ts). */
  readonly requestedUrl: string;
  readonly answeredUrl: string;
  /** Everything else the adapter reads it with (pagination, XML options). */
  readonly settings: unknown;
}

export function answerDigest(answer: Answer): string {
  const { bytes, contentType, requestedUrl, answeredUrl, settings } = answer;
  const hash = createHash('sha256');
  hash.update(JSON.stringify([contentType ?? null, requestedUrl, answeredUrl, settings ?? null]));
  hash.update('\n');
  hash.update(bytes);
  return hash.digest('hex');
}
