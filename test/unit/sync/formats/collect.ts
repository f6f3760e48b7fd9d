// Test helpers for the file readers: drain a reader, and feed bytes in awkward small chunks.
import type { FileBatch } from '@/server/sync/formats/file-batch';

export async function collect<T>(reader: AsyncIterable<FileBatch<T>>): Promise<FileBatch<T>[]> {
  const batches: FileBatch<T>[] = [];
  for await (const batch of reader) batches.push(batch);
  return batches;
}

/** All records of all good batches, in order. */
export function recordsOf<T>(batches: FileBatch<T>[]): T[] {
  return batches.flatMap((batch) => (batch.ok ? batch.records : []));
}

export function problemsOf<T>(batches: FileBatch<T>[]): string[] {
  return batches.flatMap((batch) => (batch.ok ? batch.problems.map((p) => p.reason) : []));
}

export function failureOf<T>(batches: FileBatch<T>[]): { reason: string; line?: number } | undefined {
  const failed = batches.find((batch) => !batch.ok);
  return failed && !failed.ok ? failed : undefined;
}

/** Splits bytes into chunks of `size`, so that characters and rows straddle chunk boundaries. */
export function chunked(bytes: Uint8Array, size: number): Uint8Array[] {
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return chunks;
}

export const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
