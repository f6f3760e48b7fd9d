// How times, durations and counts read in the UI, the same on every page.
export function formatTime(value: Date | string | null | undefined): string {
  if (!value) return '—';
  const date = typeof value === 'string' ? new Date(value) : value;
  return date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

// One way for every count on every page (1,234): a fixed locale, so the server's render and the
// browser's agree whatever language either is set to.
const COUNT = new Intl.NumberFormat('en');
export const formatCount = (n: number | null | undefined) => COUNT.format(n ?? 0);

/** The zone times are shown in (the browser's), for saying so beside them. */
export const browserTimeZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || 'local time';
