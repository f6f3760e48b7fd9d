// What a run's timeline says of its schedule when a time was not kept on the dot. The ticker looks every
// 15 seconds (a minute under Inngest), so a run requested minutes after its time came late for a reason
// an operator wants to know: Concord was down, or stopped, at that time. And a time that came while the
// synchronisation's previous run was still going starts no run at all (one run at a time): without a
// word on that run, the schedule just seemed to skip it.
import type { Db } from '../db/client';
import type { runs } from '../db/schema';
import type { TimelineEvent } from '../sync/ports';
import { batchLogStatements } from '../sync/stores/run-page-log';

/** A run requested this long after its time says so; the ticker's own delay stays under it. */
export const LATE_AFTER_MS = 5 * 60_000;

interface Schedule {
  readonly timezone: string;
  /** A cron schedule (several times could be missed), not a one-time synchronisation's moment. */
  readonly repeats: boolean;
}

/** The time as the schedule's own clock reads it: "7 Dec 2026, 02:30". */
function localTime(at: Date, timezone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: timezone, dateStyle: 'medium', timeStyle: 'short' })
    .format(at)
    .replace(' at ', ', ');
}

function howLong(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
  return `${Math.round(hours / 24)} days`;
}

/** The line a run requested `now` for a time due at `due` starts with; none when it was about on time. */
export function lateLine(due: Date, now: Date, schedule: Schedule): TimelineEvent | null {
  const late = now.getTime() - due.getTime();
  if (late < LATE_AFTER_MS) return null;
  return {
    kind: 'schedule',
    at: now.getTime(),
    detail: `Due at ${localTime(due, schedule.timezone)} (${schedule.timezone}) by the schedule, requested ${howLong(late)} later: Concord was not running then, or could not start it.${schedule.repeats ? ' The times missed in between are this one run.' : ''}`,
    data: { due: due.toISOString(), lateMs: late },
  };
}

/** The line a running run gets for a time of its schedule that came while it went. */
export function skippedLine(due: Date, next: Date | null, now: Date, schedule: Schedule): TimelineEvent {
  const when = `${localTime(due, schedule.timezone)} (${schedule.timezone})`;
  const then = next
    ? `waits for the next time, ${localTime(next, schedule.timezone)}`
    : 'waits for a next run';
  return {
    kind: 'schedule',
    at: now.getTime(),
    detail: `The schedule’s run due at ${when} was not started: this run was still going, and a synchronisation runs once at a time. What changes at the source after this run read it ${then}.`,
    data: { due: due.toISOString(), skipped: true },
  };
}

/**
 * Writes the line on the run. Its batch is the time it is about, so a tick asking again for the same
 * time (an Inngest tick retried) replaces it instead of writing it twice.
 */
export async function noteOnRun(
  db: Db,
  run: { readonly orgId: string; readonly id: string },
  due: Date,
  line: TimelineEvent,
): Promise<void> {
  const batchKey = `schedule:${due.toISOString()}`;
  await db.$client.batch(
    batchLogStatements({ orgId: run.orgId, runId: run.id, batchKey, entries: [], timeline: [line] }),
    'write',
  );
}

/**
 * The schedule's word on the run it asked for at `time.now`: late when it came long after its time; on
 * the run still going when the time started none (a run merely queued reads everything when it starts:
 * not a skip, nor is one this tick asked for itself, such as the reconciliation it asks for first).
 */
export async function noteScheduledTime(
  db: Db,
  asked: {
    readonly run: typeof runs.$inferSelect;
    readonly alreadyActive: boolean;
    readonly regular: boolean;
    readonly requestedNow: readonly string[];
  },
  time: { readonly dueAt: Date; readonly next: Date | null; readonly now: Date; readonly timezone: string },
): Promise<void> {
  const { run, regular } = asked;
  const schedule = { timezone: time.timezone, repeats: regular };
  if (!asked.alreadyActive) {
    const line = lateLine(time.dueAt, time.now, schedule);
    if (line) await noteOnRun(db, run, time.dueAt, line);
  } else if (regular && run.status === 'running' && !asked.requestedNow.includes(run.id))
    await noteOnRun(db, run, time.dueAt, skippedLine(time.dueAt, time.next, time.now, schedule));
}
