// The benchmark's fixed parameters and the targets it reports against (from issue 3, "Speed").
export const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 100_000);
export const PAGE_SIZE = 1_000;
/** Every 100th object changes between the unchanged re-run and the 1 % re-run. */
export const CHANGE_EVERY = 100;
export const COLLECTION = 'items';

export const TARGETS = {
  initialObjectsPerSecond: 20_000,
  initialMaxRatio: 1.5,
  unchangedMaxRatio: 1.2,
} as const;

/** The first page's path, as a synchronisation is configured with it (json-server pages with a Link header). */
export const firstPagePath = () => `/${COLLECTION}?_page=1&_limit=${PAGE_SIZE}`;
