// The V8 flags the Concord server runs with (`npm start` passes them to serve.mjs), and the benchmark
// with it, so that what bench/ measures is what runs. CONCORD_V8_FLAGS replaces them (empty: V8's own
// defaults); NODE_OPTIONS cannot carry these flags, Node refuses them there.
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
