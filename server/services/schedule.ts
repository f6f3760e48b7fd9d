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
    throw new UserError('BAD_REQUEST', `"${timezone}" is not a time zone`, 'scheduleTimezone');
  try {
    new Cron(cron, { timezone, paused: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new UserError(
      'BAD_REQUEST',
      `The schedule "${cron}" is not a valid cron expression: ${reason}`,
      'scheduleCron',
    );
  }
}

export function describeSchedule(cron: string, timezone: string, count = 3, from = new Date()) {
  const job = new Cron(cron, { timezone, paused: true });
  let words: string;
  try {
    words = cronstrue.toString(cron, { use24HourTimeFormat: true, verbose: false });
  } catch {
    words = cron;
  }
  return { words: `${words} (${timezone})`, nextRuns: job.nextRuns(count, from) };
}

export function nextRunAt(cron: string, timezone: string, from = new Date()): Date | null {
  return new Cron(cron, { timezone, paused: true }).nextRun(from);
}
