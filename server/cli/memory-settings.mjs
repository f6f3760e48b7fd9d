// How the Concord server's process holds its memory: the V8 flags and the malloc settings `npm start`
// gives serve.mjs, and the benchmark itself, so that what bench/ measures is what runs.
// CONCORD_V8_FLAGS replaces the V8 flags (empty: V8's own defaults); NODE_OPTIONS cannot carry these
// flags, Node refuses them there.
//
// --heap-growing-percent=60: after each full collection V8 lets the old generation grow to 1.6× what
// survived, instead of its own factor of up to 4×. A sync's pages are garbage the moment they are
// written, but live long enough (a database write, the next page read ahead) to be promoted out of
// the young generation; with the default factor that garbage piled up to 3× what Concord holds before
// a full collection. Measured (`npm run bench`, fast source, 100,000 objects, eight runs each): peak
// RSS of the initial pull 306–373 → 263–281 MiB, for about 7 % more CPU on average (40 %: 255–268 MiB
// for about 15 %). A heap cap (--max-old-space-size) would also do, but fails a large upload outright
// where this only collects more often.
export const DEFAULT_V8_FLAGS = ['--heap-growing-percent=60'];

const FLAG = /^--[a-z][a-z0-9-]*(=[\w.-]+)?$/;

/** The flags to run with: CONCORD_V8_FLAGS (space-separated, each `--name` or `--name=value`) or the defaults. */
export function v8Flags(env = process.env) {
  const given = env.CONCORD_V8_FLAGS;
  if (given === undefined) return DEFAULT_V8_FLAGS;
  const flags = given.split(/\s+/).filter(Boolean);
  const bad = flags.find((flag) => !FLAG.test(flag));
  if (bad !== undefined)
    throw new Error(`CONCORD_V8_FLAGS: "${bad}" is not a V8 flag (--name or --name=value)`);
  return flags;
}

// glibc's malloc raises its mmap threshold each time a large block is freed (up to 32 MiB); from then
// on the large blocks of a sync — a page's JSON parameters, SQLite's results, hundreds of kilobytes
// each — come from the heap, where freed memory tends to stay resident. A fixed threshold keeps them
// mmapped, handed back when freed, and the trim threshold hands back the heap's free top sooner.
// Measured (`npm run bench`, fast source): at 1M objects the cases' peak RSS 309–332 → 282–314 MiB
// (three runs), at 100,000 2–13 MiB lower; the CPU within the runs' spread. Values the environment sets win.
export const MALLOC_DEFAULTS = { MALLOC_MMAP_THRESHOLD_: '131072', MALLOC_TRIM_THRESHOLD_: '131072' };

/** The environment for the server's process: `env`, with the malloc settings it does not set itself. */
export function serverEnv(env = process.env) {
  return { ...MALLOC_DEFAULTS, ...env };
}
