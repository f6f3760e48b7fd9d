// The follow-on run's event carries the counts the deletion plan depends on, and accepts events sent
// by a version that did not have all of them yet.
import { describe, expect, it } from 'vitest';
import { runRequested } from '@/inngest/events';
import { ZERO_COUNTS } from '@/server/sync/core/run-result';

const event = (counts: Record<string, number>) => ({
  runId: 'run_1',
  syncId: 'syn_1',
  resume: { from: { page: 3 }, counts, pagesFetched: 2 },
});

describe('sync/run.requested', () => {
  it('keeps the count of objects without an id, so the follow-on run deletes nothing either', async () => {
    const parsed = await runRequested.schema['~standard'].validate(
      event({ ...ZERO_COUNTS, unidentified: 2 }),
    );
    expect(parsed).toMatchObject({ value: { resume: { counts: { unidentified: 2 } } } });
  });

  it('accepts an event from before that count existed', async () => {
    const { unidentified: _, ...older } = ZERO_COUNTS;
    const parsed = await runRequested.schema['~standard'].validate(event(older));
    expect(parsed).not.toHaveProperty('issues');
  });
});
