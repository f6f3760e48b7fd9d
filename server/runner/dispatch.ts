// Hands a queued run to the executor of this deployment: the Inngest server in scaled mode, the
// embedded runner of this process otherwise (started on first use, e.g. by instrumentation at boot).
import { databaseKey, type Db } from '../db/client';
import { env, runnerMode } from '../env';
import { EmbeddedRunner } from './embedded';
import { pushTimingOf } from './outbox-drain';
import { urlPolicy } from './url-policy';

// One runner per database per process, shared by every bundle of the app (see databaseKey).
const REGISTRY = Symbol.for('concord.embeddedRunners');
const store = globalThis as { [REGISTRY]?: Map<string, EmbeddedRunner> };
const runners: Map<string, EmbeddedRunner> = (store[REGISTRY] ??= new Map<string, EmbeddedRunner>());

export function embeddedRunnerFor(db: Db): EmbeddedRunner {
  const key = databaseKey(db);
  let runner = runners.get(key);
  if (!runner) {
    runner = new EmbeddedRunner(db, {
      urlPolicy: urlPolicy(),
      push: pushTimingOf(env().CONCORD_PUSH_DEBOUNCE_MS),
      retryDelays: env().CONCORD_PUSH_RETRY_DELAYS_MS,
    });
    runners.set(key, runner);
    void runner.start();
  }
  return runner;
}

export async function stopEmbeddedRunner(db: Db): Promise<void> {
  const key = databaseKey(db);
  const runner = runners.get(key);
  runners.delete(key);
  await runner?.stop();
}

export interface DispatchableRun {
  id: string;
  synchronisationId: string;
  /** A webhook's object, carried to the executor. */
  object?: Record<string, unknown>;
}

export async function dispatchRun(db: Db, run: DispatchableRun): Promise<void> {
  if (runnerMode() === 'inngest') {
    const { inngest } = await import('@/inngest/client');
    const { objectReceived, runRequested } = await import('@/inngest/events');
    const event = run.object
      ? objectReceived.create({ runId: run.id, syncId: run.synchronisationId, object: run.object })
      : runRequested.create({ runId: run.id, syncId: run.synchronisationId });
    await inngest.send(event);
    return;
  }
  embeddedRunnerFor(db).wake();
}

/** Tells the executor a run was cancelled (the embedded runner reads the run's status before each step). */
export async function notifyCancelled(runId: string): Promise<void> {
  if (runnerMode() !== 'inngest') return;
  const { inngest } = await import('@/inngest/client');
  const { runCancelled } = await import('@/inngest/events');
  await inngest.send(runCancelled.create({ runId }));
}

/**
 * Tells the executor that register changes were queued in the push outbox. Best effort: the embedded
 * runner also polls the outbox, and in scaled mode the schedule tick sweeps it every minute.
 */
export async function notifyOutbox(db: Db, change: { orgId: string; schemaId: string }): Promise<void> {
  try {
    if (runnerMode() === 'inngest') {
      const { inngest } = await import('@/inngest/client');
      const { changesQueued } = await import('@/inngest/events');
      await inngest.send(changesQueued.create(change));
      return;
    }
    // Only a runner this process already runs: a caller must not start one (tests run their own).
    runners.get(databaseKey(db))?.outbox.drainSoon();
  } catch (error) {
    console.warn(
      `Concord: the push outbox could not be announced (${String(error)}); the sweep delivers it.`,
    );
  }
}
