// The benchmark's fixed parameters and the targets it reports against.
import { v8Flags } from '../server/cli/memory-settings.mjs';
import type { PeerKind } from './peer';

export const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 100_000);
export const PAGE_SIZE = 1_000;
/** Every 100th object changes between the unchanged re-run and the 1 % re-run. */
export const CHANGE_EVERY = 100;
/**
 * Times the unchanged re-run and its fetch-only floor are measured, alternately (BENCH_REPEAT): the
 * median of each is reported. The other cases change the data, so they run once.
 */
export const REPEATS = Math.max(1, Math.floor(Number(process.env.BENCH_REPEAT ?? 3)) || 1);
export const COLLECTION = 'items';
/**
 * The source's ids: 'sequential' (1, 2, 3, …: they arrive nearly in the order of the contracts' origin-id
 * indexes) or 'uuid' (BENCH_IDS=uuid: random, as many real systems' are, so every page's ids land all
 * over those indexes). The same ids in every run of a benchmark (derived from the object's number).
 */
export const ID_KIND: 'sequential' | 'uuid' = process.env.BENCH_IDS === 'uuid' ? 'uuid' : 'sequential';

/**
 * The V8 flags the benchmark runs with (bench/run.ts sets them): those `npm start` gives the server,
 * CONCORD_V8_FLAGS included (`CONCORD_V8_FLAGS= npm run bench` measures V8's own defaults).
 */
export const V8_FLAGS = v8Flags();

/** The peers to measure against, in order (BENCH_SOURCES=fast,json-server). */
export const SOURCES: PeerKind[] = (process.env.BENCH_SOURCES ?? 'fast,json-server')
  .split(',')
  .map((s) => s.trim())
  .filter((s): s is PeerKind => s === 'fast' || s === 'json-server');

/**
 * Speed targets per peer. Against json-server (issue 3) wall time is judged, json-server's own time per
 * page being most of both sides. Against the fast source (issue 14) Concord's own CPU is judged against
 * the floor's own CPU: there the source costs next to nothing, so the ratio is Concord's cost.
 */
export const TARGETS = {
  'json-server': { initialObjectsPerSecond: 20_000, initialMaxRatio: 1.5, unchangedMaxRatio: 1.2 },
  fast: { initialMaxOwnCpuRatio: 2.5, unchangedMaxOwnCpuRatio: 3 },
} as const;

/** The first page's path, as a synchronisation is configured with it (both peers page with a Link header). */
export const firstPagePath = () => `/${COLLECTION}?_page=1&_limit=${PAGE_SIZE}`;
