// Records a source met but could not read (a file's malformed lines): the run's entry for each, and how
// the run's message and timeline name them. Such a record has no id, so it may be any object missing
// from the listing: a run that met one deletes nothing (deletions.ts).
import type { RunEntry } from '../ports';
import type { UnreadableRecord, UnreadableTally } from './pagination/types';

/** "Line 9", "Record 3": where the record is in the file, as a person finds it. */
function place(record: UnreadableRecord): string {
  if (record.line !== undefined) return `Line ${record.line}`;
  if (record.index !== undefined) return `Record ${record.index}`;
  return 'A record';
}

/** The run entry of an unreadable record: invalid, without an id, named by its line and the reason. */
export function unreadableEntry(record: UnreadableRecord): RunEntry {
  const reason = record.reason.trim().replace(/\.$/, '');
  return {
    originId: null,
    action: 'invalid',
    reason: `${place(record)} of the file could not be read: ${reason}`,
  };
}

/**
 * What a page's unreadable records add to its counts — each found and invalid, without an id (so it may
 * be any missing object) — and their entries.
 */
export function unreadableTally(records: readonly UnreadableRecord[] = []) {
  const n = records.length;
  return { found: n, invalid: n, unidentified: n, entries: records.map(unreadableEntry) };
}

/** "line 9", "lines 9 and 12", "lines 9, 12, 15 and 2 more": the records of a listing, in a sentence. */
export function nameUnreadable(tally: UnreadableTally): string {
  const { count, samples } = tally;
  const lines = samples.every((s) => s.line !== undefined);
  const noun = lines ? 'line' : 'record';
  const numbers = samples.map((s) => String(s.line ?? s.index ?? '?'));
  if (numbers.length === 0) return `${count} ${noun}${count === 1 ? '' : 's'}`;
  if (count === 1) return `${noun} ${numbers[0]}`;
  const rest = count - numbers.length;
  if (rest > 0) return `${noun}s ${numbers.join(', ')} and ${rest} more`;
  return `${noun}s ${numbers.slice(0, -1).join(', ')} and ${numbers[numbers.length - 1]}`;
}
