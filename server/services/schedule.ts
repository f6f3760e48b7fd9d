// Cron schedules: validated when saved, described in words, and their next runs (croner, cronstrue).
import { Cron } from 'croner';
import cronstrue from 'cronstrue';
import { UserError } from './errors';

export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Throws a UserError naming the field when the schedule cannot be used. */
export function checkSchedule(cron: string, timezone: string): void {
  if (!isTimeZone(timezone))
    throw new UserError(
      'BAD_REQUEST',
      `"${timezone}" is not a time zone: choose one from the list, such as Europe/Amsterdam or UTC.`,
      'scheduleTimezone',
    );
  const parts = cron.trim().split(/\s+/).length;
  if (!cron.trim().startsWith('@') && parts > 5)
    throw new UserError(
      'BAD_REQUEST',
      `The schedule "${cron}" is not a valid cron expression: it has ${PART_COUNTS[parts] ?? parts} parts: Concord schedules by the minute, not the second. ${FIVE_PARTS}`,
      'scheduleCron',
    );
  let job: Cron;
  try {
    job = new Cron(cron, { timezone, paused: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(
      'BAD_REQUEST',
      `The schedule "${cron}" is not a valid cron expression: ${cronProblem(reason)}`,
      'scheduleCron',
    );
  }
  // croner takes a day no month has (31 February) and never answers a next time: saved, the schedule
  // would never run while the list showed the synchronisation as run on demand.
  if (!job.nextRun())
    throw new UserError(
      'BAD_REQUEST',
      `The schedule "${cron}" never comes: no date matches its day of the month, month and day of the week (such as 31 February). Choose a day that exists.`,
      'scheduleCron',
    );
}

// croner reads a sixth part as seconds (the ticker looks every 15 s, so "every second" would be false)
// and a seventh as years.
const PART_COUNTS: Record<number, string> = { 6: 'six', 7: 'seven' };

const FIVE_PARTS =
  'Write five parts separated by spaces — minute, hour, day of the month, month, day of the week — such as 0 6 * * 1-5 (at 06:00 on weekdays).';

const UNITS: Record<string, string> = {
  second: 'the second must be 0 to 59',
  minute: 'the minute must be 0 to 59',
  hour: 'the hour must be 0 to 23',
  day: 'the day of the month must be 1 to 31',
  month: 'the month must be 1 to 12',
  dayOfWeek: 'the day of the week must be 0 to 7 (0 and 7 are Sunday)',
};

/**
 * croner's reason ("CronPattern: Invalid value for hour: 25") in words, with what to write instead: its
 * messages name its internals and sometimes the wrong value (day 32 is reported as 31).
 */
export function cronProblem(reason: string): string {
  const text = reason.replace(/^CronPattern:\s*/i, '');
  if (/invalid configuration format/i.test(text)) return `it does not have five parts. ${FIVE_PARTS}`;
  const unit = /Invalid value for (\w+)/i.exec(text)?.[1];
  if (unit) return `${UNITS[unit] ?? `a value is out of range (${unit})`}. ${FIVE_PARTS}`;
  const entry = /configuration entry (\d+) \(([^)]*)\) contains illegal characters/i.exec(text);
  if (entry)
    return `part ${entry[1]} ("${entry[2]}") holds characters a schedule cannot use: use numbers, *, ranges (1-5), lists (1,15) and steps (*/10).`;
  if (/stepping/i.test(text)) return 'a step (*/n) must be a whole number of at least 1, such as */15.';
  return `${text.replace(/[.]?$/, '.')} ${FIVE_PARTS}`;
}

export function describeSchedule(cron: string, timezone: string, count = 3, from = new Date()) {
  const job = new Cron(cron, { timezone, paused: true });
  let words: string;
  try {
    words = cronstrue.toString(cron, { use24HourTimeFormat: true, verbose: false });
  } catch {
    words = cron;
  }
  const nextRuns: Date[] = [];
  for (let at = nextAfter(job, from); at; at = nextRuns.length < count ? nextAfter(job, at) : null)
    nextRuns.push(at);
  return { words: `${words} (${timezone})`, nextRuns };
}

export function nextRunAt(cron: string, timezone: string, from = new Date()): Date | null {
  return nextAfter(new Cron(cron, { timezone, paused: true }), from);
}

/**
 * The schedule's first time after `from`. In the hour the clocks go back, croner reads `from` as the
 * hour's first pass and can answer a time already gone (from 02:10 winter time, 02:30 summer time): a
 * ticker that saved it would find it due on every tick until the hour ended, and run a daily
 * synchronisation again and again. Asked again a minute later each time until the answer lies ahead,
 * the local times the first pass already had are not repeated — a daily 02:30 runs once that day.
 */
function nextAfter(job: Cron, from: Date): Date | null {
  let probe = from;
  // The longest overlap is an hour; three leave room for a zone's odd transitions.
  for (let minute = 0; minute <= 180; minute++) {
    const next = job.nextRun(probe);
    if (!next || next > from) return next;
    probe = new Date(probe.getTime() + 60_000);
  }
  return null;
}

/**
 * When a synchronisation runs next, as the overview and the API show it: none while switched off; a
 * one-time one at its time; a scheduled one at the time the ticker keeps (computed when none is kept).
 */
export function shownNextRunAt(
  s: {
    enabled: boolean;
    scheduleCron: string | null;
    scheduleTimezone: string;
    oneTime: boolean;
    runOnceAt: Date | null;
    storedNextRunAt: Date | null;
  },
  now: Date,
): Date | null {
  if (!s.enabled) return null;
  if (s.oneTime) return s.runOnceAt ?? s.storedNextRunAt;
  if (!s.scheduleCron) return null;
  if (s.storedNextRunAt) return s.storedNextRunAt;
  try {
    return nextRunAt(s.scheduleCron, s.scheduleTimezone, now);
  } catch {
    return null;
  }
}
