// The password check: easy passwords refused with a reason, and its dictionaries' estimator let go once
// no password has been checked for a while (it held 25 MiB for the life of the process).
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ESTIMATOR_KEPT_MS, estimatorHeld, passwordProblem } from '@/server/auth/password-strength';

afterEach(() => {
  vi.useRealTimers();
});

describe('passwordProblem', () => {
  it('refuses a short password before consulting any dictionary', async () => {
    expect(await passwordProblem('short')).toMatch(/^Use at least \d+ characters\.$/);
  });

  it("refuses a common password and one made of the person's own name, and accepts an unusual one", async () => {
    expect(await passwordProblem('password1234')).toMatch(/^This password is too easy to guess\./);
    expect(await passwordProblem('pat patterson 1', ['Pat Patterson', 'pat@example.test'])).toMatch(
      /your name or email address/,
    );
    expect(await passwordProblem('violet tractor 19 quietly')).toBeUndefined();
  });

  it('lets the estimator go after its time without a check, and builds it again when one comes', async () => {
    vi.useFakeTimers();
    expect(await passwordProblem('password1234')).toBeDefined();
    expect(estimatorHeld()).toBe(true);
    // Each check keeps it for another interval.
    vi.advanceTimersByTime(ESTIMATOR_KEPT_MS - 1_000);
    expect(await passwordProblem('violet tractor 19 quietly')).toBeUndefined();
    vi.advanceTimersByTime(ESTIMATOR_KEPT_MS - 1_000);
    expect(estimatorHeld()).toBe(true);
    vi.advanceTimersByTime(1_000);
    expect(estimatorHeld()).toBe(false);
    expect(await passwordProblem('password1234')).toMatch(/too easy to guess/);
    expect(estimatorHeld()).toBe(true);
  });
});
