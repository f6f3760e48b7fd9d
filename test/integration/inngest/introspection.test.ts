// GET /api/inngest in development mode (INNGEST_DEV=1): the endpoint Inngest's dev server and an
// operator probe answers with the functions it serves; the served functions are Concord's four.
import { NextRequest } from 'next/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Route from '@/app/api/inngest/route';
import type * as Served from '@/inngest';
import type * as RunSync from '@/inngest/functions/run-sync';

let route: typeof Route;
let served: typeof Served;
let runSyncFailed: typeof RunSync.runSyncFailed;
const previous = process.env.INNGEST_DEV;

beforeAll(async () => {
  // The Inngest client reads its mode when it is created: set it before the route is imported.
  process.env.INNGEST_DEV = '1';
  route = await import('@/app/api/inngest/route');
  served = await import('@/inngest');
  ({ runSyncFailed } = await import('@/inngest/functions/run-sync'));
});
afterAll(() => {
  if (previous === undefined) delete process.env.INNGEST_DEV;
  else process.env.INNGEST_DEV = previous;
});

describe('GET /api/inngest', () => {
  it('answers in dev mode with the number of functions served (each failure handler is one)', async () => {
    const res = await route.GET(new NextRequest('http://127.0.0.1:3000/api/inngest'), undefined);

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/json');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ mode: 'dev', function_count: 6, has_signing_key: false });
  });

  it('serves run-sync, schedule-tick, object-received and push-changes with their triggers', () => {
    const byId = new Map(served.functions.map((fn) => [fn.id(), fn.opts]));
    expect([...byId.keys()].sort()).toEqual(['object-received', 'push-changes', 'run-sync', 'schedule-tick']);
    expect(byId.get('run-sync')).toMatchObject({
      triggers: [expect.objectContaining({ event: 'sync/run.requested' })],
      // One run per synchronisation at a time, and a Cancel reaches the Inngest run.
      concurrency: [{ key: 'event.data.syncId', limit: 1 }],
      cancelOn: [{ event: 'sync/run.cancelled', if: 'async.data.runId == event.data.runId' }],
      // A run Inngest gives up on ends as failed instead of staying "running".
      onFailure: runSyncFailed,
    });
    expect(byId.get('schedule-tick')).toMatchObject({
      triggers: [expect.objectContaining({ cron: '* * * * *' })],
    });
    expect(byId.get('object-received')).toMatchObject({
      triggers: [expect.objectContaining({ event: 'sync/object.received' })],
      concurrency: [{ key: 'event.data.syncId', limit: 1 }],
      onFailure: runSyncFailed,
    });
    // Register changes: once the edits of a burst have settled (debounced), not once per edit.
    expect(byId.get('push-changes')).toMatchObject({
      triggers: [expect.objectContaining({ event: 'register/changes.queued' })],
      debounce: { period: '1s', timeout: '10s' },
    });
  });
});
