// The shape every file reader (CSV, JSON, XML) yields: batches of records, with the problems found in
// them, or one failure that ends the listing (so that nothing is deleted on a half-read file).

export interface RecordProblem {
  /** 1-based line in the file where the bad record starts, when the format has lines. */
  line?: number;
  /** Position of the record in the file (1-based), when lines mean nothing (an XML or JSON array). */
  index?: number;
  reason: string;
  /** How many of its batch's records come before it (CSV), so a reader can tell which page it falls on. */
  before?: number;
}

export type FileBatch<T = Record<string, unknown>> =
  | {
      ok: true;
      records: T[];
      problems: RecordProblem[];
      /** The 1-based line each record starts on, when the format has lines (CSV). */
      lines?: number[];
    }
  | { ok: false; reason: string; line?: number };

export const DEFAULT_BATCH_SIZE = 1000;

/** Reads a whole byte source into memory, refusing to go past `maxBytes` (for formats that cannot stream). */
export async function readAllBytes(
  source: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>,
  maxBytes: number,
): Promise<{ ok: true; bytes: Uint8Array } | { ok: false; reason: string }> {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const encoder = new TextEncoder();
  for await (const chunk of source) {
    const bytes = typeof chunk === 'string' ? encoder.encode(chunk) : chunk;
    total += bytes.length;
    if (total > maxBytes) {
      return {
        ok: false,
        reason: `The file is larger than the ${formatBytes(maxBytes)} this format can read.`,
      };
    }
    chunks.push(bytes);
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    out.set(chunk, offset);
    offset += chunk.length;
  }
  return { ok: true, bytes: out };
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round(bytes / (1024 * 1024))} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
