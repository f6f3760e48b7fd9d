// One organisation's previews may use a share of the process's time, with a short burst; beyond it a
// preview is refused for a moment, and other organisations are not affected (issue 9).
import { describe, expect, it } from 'vitest';
import { UserError } from '@/server/services/errors';
import { PreviewShare } from '@/server/services/preview-share';

function setup() {
  let clock = 0;
  // One clock for both: here a preview's CPU time is its wall time.
  const share = new PreviewShare(
    () => clock,
    0.25,
    100,
    () => clock,
  );
  // A preview that takes `ms` of the process's time.
  const preview = (orgId: string, ms: number) =>
    share.run(orgId, () => {
      clock += ms;
      return 'done';
    });
  return { preview, wait: (ms: number) => (clock += ms) };
}

describe('PreviewShare', () => {
  it('lets quick previews through however many there are', () => {
    const { preview, wait } = setup();
    for (let i = 0; i < 1_000; i++) {
      expect(preview('org_a', 1)).toBe('done');
      wait(5);
    }
  });

  it('refuses slow previews fired back to back once the burst is used, with a sentence', () => {
    const { preview } = setup();
    expect(preview('org_a', 40)).toBe('done');
    expect(preview('org_a', 40)).toBe('done');
    expect(preview('org_a', 40)).toBe('done');
    let refused: unknown;
    try {
      preview('org_a', 40);
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(UserError);
    expect(refused).toMatchObject({
      code: 'TOO_MANY_REQUESTS',
      message: "This organisation's previews took more time than they may use at once; try again in 1 s.",
    });
  });

  it('keeps organisations apart, and lets an organisation in again once its share is paid back', () => {
    const { preview, wait } = setup();
    for (let i = 0; i < 3; i++) preview('org_a', 40);
    expect(() => preview('org_a', 40)).toThrow(UserError);
    expect(preview('org_b', 40)).toBe('done');
    wait(80); // 20 ms of debt paid back: 100 left, within the burst
    expect(preview('org_a', 40)).toBe('done');
  });
});
