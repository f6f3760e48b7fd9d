// Time the process spends turning the answers to its own outgoing requests (a source's pages, a
// target's replies) into text and values. The pacer of a run (run/pace.ts) leaves the process to others
// when a turn of the event loop was busy; a turn busy with a run's own next page, read ahead, is not
// someone else waiting, and without telling the two apart a run slept after each page it read.

let spentMs = 0;

/** Milliseconds spent in `ownWork` so far by the process (only differences mean something). */
export const ownWorkMs = (): number => spentMs;

/** Runs `fn` (synchronous: decoding or parsing an answer), counting its time as the process's own. */
export function ownWork<T>(fn: () => T): T {
  const started = performance.now();
  try {
    return fn();
  } finally {
    spentMs += performance.now() - started;
  }
}
