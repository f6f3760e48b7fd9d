// Runs an Inngest function with @inngest/test and records what its steps did across the engine's
// executions: which step bodies actually ran (a memoised step is replayed, not run), what each returned,
// and what was sent with step.sendEvent. A new engine per call: the engine caches step results.
import { InngestTestEngine } from '@inngest/test';
import type { Context, InngestFunction } from 'inngest';
import { databaseKey, type Db } from '@/server/db/client';

type Step = Context.Any['step'];

export interface StepRecorder {
  /** Ids of the step bodies that ran, in order (a failed attempt is listed too). */
  executed: string[];
  /** What each step body returned, as JSON (what Inngest stores as the step's state). */
  results: Map<string, unknown>;
  /** Payloads given to step.sendEvent, by step id. */
  sent: Map<string, unknown>;
}

export interface EngineOptions {
  /** Results of steps that finished in an earlier attempt of the same function run (Inngest's memo). */
  memo?: Map<string, unknown>;
  /** Stand-ins for steps that must not really run here (sendEvent has no Inngest server to talk to). */
  mocked?: Record<string, () => unknown>;
  /** Wraps a step body: run code before or after it, or fail an attempt. */
  around?: (id: string, body: () => Promise<unknown>) => Promise<unknown>;
}

export function recordingEngine(
  fn: InngestFunction.Like,
  event: { name: string; data: Record<string, unknown> },
  options: EngineOptions = {},
) {
  const recorder: StepRecorder = { executed: [], results: new Map(), sent: new Map() };
  const steps = [
    ...[...(options.memo ?? new Map<string, unknown>())].map(([id, value]) => ({ id, handler: () => value })),
    ...Object.entries(options.mocked ?? {}).map(([id, handler]) => ({ id, handler })),
  ];
  const engine = new InngestTestEngine({
    function: fn,
    events: [event],
    steps,
    transformCtx: (ctx) => {
      const run = ctx.step.run;
      const sendEvent = ctx.step.sendEvent;
      const step: Step = {
        ...ctx.step,
        run: ((id: string, body: () => Promise<unknown>) =>
          run(id, async () => {
            recorder.executed.push(id);
            const result = options.around ? await options.around(id, body) : await body();
            recorder.results.set(id, JSON.parse(JSON.stringify(result ?? null)));
            return result;
          })) as Step['run'],
        sendEvent: ((id: string, payload: unknown) => {
          recorder.sent.set(id, JSON.parse(JSON.stringify(payload)));
          return sendEvent(id, payload as Parameters<Step['sendEvent']>[1]);
        }) as Step['sendEvent'],
      };
      return { ...ctx, step };
    },
  });
  return { engine, recorder };
}

/**
 * The Inngest functions reach the database through getDb(), which reads DATABASE_URL once per module
 * instance: point it at this test's libSQL file, then import the function modules.
 */
export async function useDatabaseFile(file: string) {
  const previous = process.env.DATABASE_URL;
  process.env.DATABASE_URL = `file:${file}`;
  const client = await import('@/server/db/client');
  const shared: Db = client.getDb();
  if (databaseKey(shared) !== `file:${file}`)
    throw new Error(`getDb() opened ${databaseKey(shared)} instead of the test database`);
  return {
    close: () => {
      client.getDatabase().client.close();
      if (previous === undefined) delete process.env.DATABASE_URL;
      else process.env.DATABASE_URL = previous;
    },
  };
}
