// The per-host request budget on a virtual clock: starts spaced by the strictest declared rate, requests
// in flight bounded, a pause that holds every request to the host, and hosts kept apart.
import { describe, expect, it } from 'vitest';
import { HostBudgets } from '@/server/sync/http/host-budget';

/** A clock that moves only when someone sleeps; `starts` records when each request was let go. */
function virtualClock() {
  let now = 0;
  const timers: { at: number; wake: () => void }[] = [];
  return {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((wake) => timers.push({ at: now + ms, wake })),
    /** Runs every sleeper in time order until nobody sleeps, yielding to the event loop between them. */
    async drain() {
      for (;;) {
        await new Promise((r) => setImmediate(r));
        timers.sort((a, b) => a.at - b.at);
        const next = timers.shift();
        if (!next) return;
        now = Math.max(now, next.at);
        next.wake();
      }
    },
  };
}

function startsOf(budgets: HostBudgets, host: string, count: number, clock: { now(): number }) {
  const starts: number[] = [];
  const all = Array.from({ length: count }, async () => {
    const release = await budgets.acquire(host);
    starts.push(clock.now());
    release();
  });
  return { starts, done: Promise.all(all) };
}

describe('a host budget', () => {
  it('spaces starts by the strictest rate any client declared for the host', async () => {
    const clock = virtualClock();
    const budgets = new HostBudgets(clock);
    budgets.declare('api.example.com', { requestsPerSecond: 20 });
    const undeclare = budgets.declare('api.example.com', { requestsPerSecond: 10 });
    const run = startsOf(budgets, 'api.example.com', 4, clock);
    await clock.drain();
    await run.done;
    expect(run.starts).toEqual([0, 100, 200, 300]);

    // Once the stricter client is gone, the other's 20 per second holds.
    undeclare();
    const after = startsOf(budgets, 'api.example.com', 3, clock);
    await clock.drain();
    await after.done;
    expect(after.starts).toEqual([350, 400, 450]);
  });

  it('keeps hosts apart: another host (or port) is not slowed', async () => {
    const clock = virtualClock();
    const budgets = new HostBudgets(clock);
    budgets.declare('127.0.0.1:4000', { requestsPerSecond: 1 });
    const slow = startsOf(budgets, '127.0.0.1:4000', 2, clock);
    const other = startsOf(budgets, '127.0.0.1:4001', 3, clock);
    await clock.drain();
    await Promise.all([slow.done, other.done]);
    expect(slow.starts).toEqual([0, 1000]);
    expect(other.starts).toEqual([0, 0, 0]);
  });

  it('lets at most maxConcurrency requests run at once, the next in line first', async () => {
    const clock = virtualClock();
    const budgets = new HostBudgets(clock);
    budgets.declare('h', { maxConcurrency: 2 });
    let running = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const release = await budgets.acquire('h');
        order.push(i);
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 2));
        running--;
        release();
      }),
    );
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('holds every request to the host during a pause, also one already waiting for its slot', async () => {
    const clock = virtualClock();
    const budgets = new HostBudgets(clock);
    budgets.declare('h', { requestsPerSecond: 10 });
    const run = startsOf(budgets, 'h', 3, clock);
    // The first starts at 0; the others wait for 100 and 200 when the host asks for 5 s of quiet.
    await new Promise((r) => setImmediate(r));
    budgets.pause('h', 5000);
    await clock.drain();
    await run.done;
    expect(run.starts[0]).toBe(0);
    expect(run.starts.slice(1).every((t) => t >= 5000)).toBe(true);
    expect(run.starts[2]! - run.starts[1]!).toBeGreaterThanOrEqual(100);
  });

  it('does not spin on a clock that never moves', async () => {
    const budgets = new HostBudgets({ now: () => 0, sleep: async () => {} });
    budgets.declare('h', { requestsPerSecond: 1 });
    budgets.pause('h', 60_000);
    // Were it to loop until the clock passed the pause, this would never resolve.
    const releases = await Promise.all([budgets.acquire('h'), budgets.acquire('h'), budgets.acquire('h')]);
    expect(releases).toHaveLength(3);
    releases.forEach((release) => release());
  });
});
