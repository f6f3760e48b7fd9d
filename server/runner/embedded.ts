// The embedded runner: executes queued runs in this process with the durable step memo, resumes the
// runs a dead process left behind, keeps one run per synchronisation, bounds how many run at once
// fairly between organisations (fair-share.ts), ticks cron schedules and log retention, and turns the
// push outbox into push runs (outbox-drainer.ts). It runs the same executeRun as the Inngest functions.
import { and, asc, eq, inArray, lte, not, notInArray, sql } from 'drizzle-orm';
import type { Db } from '../db/client';
import { errorForLog, errorReason } from '../db/query-error';
import { runs } from '../db/schema';
import { executeToCompletion } from '../sync/run/execute';
import { endAbandonedBatches, PUSHED_BATCH } from '../sync/run/batch-heartbeat';
import { endInterruptedBatch } from '../sync/run/pushed-batch';
import type { AdapterOptions } from '../sync/run/adapters';
import { cancellable, RunCancelledError } from './cancellation';
import { durableStep, forgetSteps } from './durable-step';
import { failRun } from './fail-run';
import { chooseRuns } from './fair-share';
import { pushTimingOf, type PushTiming } from './outbox-drain';
import { OutboxDrainer } from './outbox-drainer';
import { applyRetention } from './retention';
import { requestDueRuns } from './schedules';
import { webhookDeliverer } from './webhook-deliverer';
import { pushRetrier } from './push-retrier';
import type { DueWork } from './due-work';
import { DEFAULT_RETRY_DELAYS_MS } from '../sync/core/retry-backoff';
import type { DeliverOptions } from '../services/notifications/deliver';

export interface EmbeddedRunnerOptions extends AdapterOptions {
  /**
   * Runs executing at once (each is mostly waiting on I/O). The first run of an organisation with none
   * executing may start beyond it, up to twice as many, so no organisation waits behind another's.
   */
  concurrency?: number;
  pollMs?: number;
  tickMs?: number;
  /** Pages per execution before the run continues in a fresh one (bounds memory per execution). */
  pageBudget?: number;
  /** How register changes are coalesced before they are pushed (default: a 2 s window). */
  push?: PushTiming;
  log?: (message: string) => void;
  /** How notification webhooks are sent (tests shorten the backoff). */
  webhooks?: Omit<DeliverOptions, 'urlPolicy'>;
}

/**
 * One run as the embedded runner executes it: durable steps that stop at a cancellation, executions
 * of `pageBudget` pages back to back, and the next page read ahead (one process runs the whole listing).
 */
export async function executeEmbedded(
  db: Db,
  runId: string,
  options: AdapterOptions & { pageBudget?: number },
): ReturnType<typeof executeToCompletion> {
  const step = cancellable(db, runId, durableStep(db, runId));
  const result = await executeToCompletion(db, runId, step, {
    urlPolicy: options.urlPolicy,
    http: options.http,
    pageBudget: options.pageBudget ?? 100,
    readAhead: options.readAhead ?? true,
    ...(options.retryDelays ? { retryDelays: options.retryDelays } : {}),
  });
  // The run has ended (finished, or ended before): its step memos have nothing left to resume.
  await forgetSteps(db, runId);
  return result;
}

/**
 * A run whose execution threw has ended: cancelled by a person (who said so already), or failed, which
 * its log is told. Either way its step memos have nothing left to resume (a run that stops only because
 * its process does throws nothing here: it is resumed from them when a runner starts).
 */
export async function endThrownRun(
  db: Db,
  runId: string,
  error: unknown,
  log: (message: string) => void,
): Promise<void> {
  if (!(error instanceof RunCancelledError)) {
    log(`run ${runId} failed: ${errorForLog(error)}`);
    await failRun(db, runId, error);
  }
  await forgetSteps(db, runId);
}

export class EmbeddedRunner {
  private readonly active = new Map<string, { syncId: string; orgId: string; done: Promise<void> }>();
  private timers: NodeJS.Timeout[] = [];
  private polling: Promise<void> | null = null;
  private lastRetention = 0;
  private stopped = false;
  // Set once start() has re-queued what a previous process left running: a poll before that could claim
  // a run just requested, which start() would then take for a dead process's run and queue it again.
  private resumed = false;
  private starting: Promise<void> | null = null;
  readonly outbox: OutboxDrainer;
  readonly webhooks: DueWork;
  readonly retries: DueWork;

  constructor(
    private readonly db: Db,
    private readonly options: EmbeddedRunnerOptions,
  ) {
    this.outbox = new OutboxDrainer(
      db,
      options.push ?? pushTimingOf(2_000),
      () => this.wake(),
      (message) => this.log(message),
      options.pollMs ?? 1000,
    );
    this.retries = pushRetrier(
      db,
      options.retryDelays ?? DEFAULT_RETRY_DELAYS_MS,
      () => this.wake(),
      (message) => this.log(message),
      options.pollMs ?? 1000,
    );
    this.webhooks = webhookDeliverer(
      db,
      { urlPolicy: options.urlPolicy, ...options.webhooks },
      (message) => this.log(message),
      options.pollMs ?? 1000,
    );
  }

  /** Re-queues what a previous process left running, then starts polling and ticking. */
  start(): Promise<void> {
    this.starting ??= this.begin();
    return this.starting;
  }

  private async begin(): Promise<void> {
    // A database that does not answer yet (a server still starting) is asked again: a runner that gave
    // up here would leave every run of this process queued.
    for (;;) {
      try {
        await this.resumeInterrupted();
        break;
      } catch (error) {
        if (this.stopped) return;
        this.log(`start failed, trying again: ${errorReason(error)}`);
        await new Promise((resolve) => setTimeout(resolve, (this.options.pollMs ?? 1000) * 5));
      }
    }
    if (this.stopped) return;
    this.resumed = true;
    this.timers.push(setInterval(() => this.wake(), this.options.pollMs ?? 1000));
    this.timers.push(setInterval(() => void this.tick(), this.options.tickMs ?? 15_000));
    void this.tick();
    this.wake();
    // After the resumption above: a run the drain queues now is not one a dead process left running.
    this.outbox.start();
    // Deliveries a previous process scheduled, and those due from now on.
    this.webhooks.start();
    // Pushes that did not get through, tried again when due (also those a previous process scheduled).
    this.retries.start();
  }

  /** Ends the pushed batches and re-queues the runs a previous process left running. */
  private async resumeInterrupted(): Promise<void> {
    // A pushed batch is not resumed: its objects were in the request only, and as a run of trigger `api`
    // it would be executed as a listing of the source. It ends, and its client sends it again.
    const batches = await this.db
      .select({ id: runs.id })
      .from(runs)
      .where(and(eq(runs.status, 'running'), PUSHED_BATCH));
    let ended = 0;
    for (const batch of batches) if (await endInterruptedBatch(this.db, batch.id)) ended++;
    if (ended) this.log(`ended ${ended} pushed batch(es) a stopped process was writing`);
    const resumed = await this.db
      .update(runs)
      .set({ status: 'queued', interruptions: sql`${runs.interruptions} + 1` })
      .where(and(eq(runs.status, 'running'), not(PUSHED_BATCH)))
      .returning({ id: runs.id });
    if (resumed.length) this.log(`resuming ${resumed.length} interrupted run(s)`);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.timers.forEach(clearInterval);
    this.timers = [];
    await this.outbox.stop();
    await this.webhooks.stop();
    await this.retries.stop();
    await Promise.allSettled([...this.active.values()].map((a) => a.done));
  }

  /** Looks for queued runs now (called after a run is requested). */
  wake(): void {
    if (this.stopped || !this.resumed || this.polling) return;
    this.polling = this.poll()
      .catch((error: unknown) => this.log(`poll failed: ${errorReason(error)}`))
      .finally(() => (this.polling = null));
  }

  /** Waits until no run is executing (tests). */
  async idle(): Promise<void> {
    // A run requested while the runner was starting is polled for at the end of its start.
    await this.starting?.catch(() => undefined);
    while (this.active.size > 0 || this.polling) {
      await Promise.allSettled([...this.active.values()].map((a) => a.done));
      await this.polling;
    }
  }

  private async poll(): Promise<void> {
    const concurrency = this.options.concurrency ?? 2;
    if (this.active.size >= concurrency * 2) return;
    const active = [...this.active.values()];
    const busySyncs = active.map((a) => a.syncId);
    // Each organisation's oldest few queued runs, so that one organisation's long queue cannot hide
    // another's run from this poll.
    const ranked = this.db
      .select({
        id: runs.id,
        syncId: sql<string>`${runs.synchronisationId}`.as('sync_id'),
        orgId: sql<string>`${runs.orgId}`.as('org'),
        createdAt: sql<number>`${runs.createdAt}`.as('created'),
        rank: sql<number>`row_number() over (partition by ${runs.orgId} order by ${runs.createdAt}, ${runs.id})`.as(
          'rank',
        ),
      })
      .from(runs)
      .where(
        and(
          eq(runs.status, 'queued'),
          busySyncs.length ? notInArray(runs.synchronisationId, busySyncs) : undefined,
        ),
      )
      .as('ranked');
    const queued = await this.db
      .select({ id: ranked.id, syncId: ranked.syncId, orgId: ranked.orgId })
      .from(ranked)
      .where(lte(ranked.rank, concurrency * 2))
      .orderBy(asc(ranked.createdAt), asc(ranked.id))
      .limit(500);
    for (const run of chooseRuns(queued, active, concurrency)) {
      // Claiming flips queued → running atomically, so a run is never executed twice at once.
      const claimed = await this.db
        .update(runs)
        .set({ status: 'running' })
        .where(and(eq(runs.id, run.id), inArray(runs.status, ['queued'])))
        .returning({ id: runs.id });
      if (claimed.length) this.execute(run.id, run.syncId, run.orgId);
    }
  }

  private async run(runId: string): Promise<void> {
    await executeEmbedded(this.db, runId, this.options);
  }

  private execute(runId: string, syncId: string, orgId: string): void {
    const done = this.run(runId)
      .catch((error: unknown) => endThrownRun(this.db, runId, error, (message) => this.log(message)))
      .finally(() => {
        this.active.delete(runId);
        this.wake();
        // The run's end may have told of a failure, held deletions or conflicts.
        this.webhooks.soon();
        // …and scheduled the retry of what it could not deliver.
        this.retries.soon();
      });
    this.active.set(runId, { syncId, orgId, done });
  }

  private async tick(): Promise<void> {
    try {
      const requested = await requestDueRuns(this.db);
      if (requested.length) this.wake();
      // The scaled tick's sweep too (batch-heartbeat.ts): this process's own batches beat, none is ended.
      const ended = await endAbandonedBatches(this.db);
      if (ended) this.log(`ended ${ended} pushed batch(es) no process was writing any more`);
      if (Date.now() - this.lastRetention > 60 * 60_000) {
        this.lastRetention = Date.now();
        const removed = await applyRetention(this.db);
        if (removed.runs) this.log(`removed ${removed.runs} run(s) past their retention`);
        if (removed.sourceCopies) this.log(`compacted ${removed.sourceCopies} row(s) of source copies`);
        if (removed.sourceObjectsMoved)
          this.log(
            `moved ${removed.sourceObjectsMoved} source object(s) from contract rows into source copies`,
          );
      }
    } catch (error) {
      this.log(`schedule tick failed: ${errorReason(error)}`);
    }
  }

  private log(message: string): void {
    (this.options.log ?? ((m: string) => console.log(`Concord runner: ${m}`)))(message);
  }
}
