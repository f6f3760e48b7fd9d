// Keeps a file's open reader between the steps of a run in this process, so the next page continues
// where the last one stopped instead of re-reading the file from its start. Purely an optimisation:
// in another process (scaled mode), or once an entry expired, the source re-reads and skips instead.
import type { RecordReader } from './file-records';

interface Parked {
  readonly owner: object;
  readonly reader: RecordReader;
  readonly timer: ReturnType<typeof setTimeout>;
}

// Steps of one run follow each other within seconds; a reader nobody came back for is closed.
const TTL_MS = 2 * 60_000;
const MAX_PARKED = 16;
const parked = new Map<string, Parked>();

/** Leaves `reader` for whoever resumes `key` at its current position (`owner` is the database). */
export function park(owner: object, key: string, reader: RecordReader): void {
  const slot = `${key}@${reader.position}`;
  evict(slot);
  // Oldest first: Map keeps insertion order.
  while (parked.size >= MAX_PARKED) {
    const oldest = parked.keys().next();
    if (oldest.done) break;
    evict(oldest.value);
  }
  const timer = setTimeout(() => evict(slot), TTL_MS);
  timer.unref?.();
  parked.set(slot, { owner, reader, timer });
}

/** The reader parked for `key` at `position`, now owned by the caller; undefined when there is none. */
export function unpark(owner: object, key: string, position: number): RecordReader | undefined {
  const slot = `${key}@${position}`;
  const entry = parked.get(slot);
  if (!entry || entry.owner !== owner) return undefined;
  clearTimeout(entry.timer);
  parked.delete(slot);
  return entry.reader;
}

/** Closes every parked reader (tests use it to exercise the re-read path). */
export function closeParkedReaders(): void {
  for (const slot of [...parked.keys()]) evict(slot);
}

function evict(slot: string): void {
  const entry = parked.get(slot);
  if (!entry) return;
  parked.delete(slot);
  clearTimeout(entry.timer);
  void entry.reader.close();
}
