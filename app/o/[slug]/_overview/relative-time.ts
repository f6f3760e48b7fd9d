// "3 hours ago" / "in 20 minutes": how long a failure has lasted and when the next run comes, at a glance.
const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
];

export function relativeTime(value: Date, now = Date.now()): string {
  const diff = value.getTime() - now;
  const format = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });
  for (const [unit, ms] of UNITS) {
    if (Math.abs(diff) >= ms) return format.format(Math.round(diff / ms), unit);
  }
  return diff < 0 ? 'just now' : 'in less than a minute';
}
