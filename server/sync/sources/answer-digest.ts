// The digest of a REST page's answer (SourcePage.digest, core/page-memo.ts): equal for two answers only
// when they make the same objects. Hashing the text as it came costs about a quarter of serialising the
// parsed objects again and hashing that (0.06 against 0.2–0.3 CPU-s per 100,000 objects; issue 14).
import { createHash } from 'node:crypto';

export interface Answer {
  /** The body as received. */
  readonly text: string;
  /** What decided how it was parsed: its content type and the format it was read as. */
  readonly contentType: string | undefined;
  readonly format: string;
  /** The URLs its next links were anchored between (sources/rest-links.ts). */
  readonly requestedUrl: string;
  readonly answeredUrl: string;
  /** Everything else the adapter reads it with (pagination, XML options). */
  readonly settings: unknown;
}

export function answerDigest(answer: Answer): string {
  const { text, contentType, format, requestedUrl, answeredUrl, settings } = answer;
  const hash = createHash('sha256');
  hash.update(JSON.stringify([format, contentType ?? null, requestedUrl, answeredUrl, settings ?? null]));
  hash.update('\n');
  // UTF-16 code units as they are: exact for every string (lone surrogates too), and no UTF-8 encoding.
  hash.update(text, 'utf16le');
  return hash.digest('hex');
}
