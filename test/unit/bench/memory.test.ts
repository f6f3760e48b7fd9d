// The benchmark's peak RSS (bench/memory.ts): a phase's peak must count memory the process held only for
// a moment between two samples, or the figures at a million objects understate what it needed.
import vm from 'node:vm';
import { describe, expect, it } from 'vitest';
import { measure, processPeakRssMiB } from '@/bench/memory';

const MiB = 1024 * 1024;
// bench/memory.ts exposes the collector when it loads.
const collect = vm.runInNewContext('gc') as () => void;

describe('the peak RSS of a measured phase', () => {
  it('counts 160 MiB held for a moment no sample saw, and keeps it in the process peak', async () => {
    const m = await measure(() => {
      // Synchronous from start to end: the sampling timer never runs while the block is resident.
      let block: Buffer | null = Buffer.alloc(160 * MiB, 1);
      expect(block[block.length - 1]).toBe(1);
      block = null;
      collect();
      return Promise.resolve();
    });
    const after = process.memoryUsage.rss();
    // Gone when the phase ended (so no sample could have seen it), yet in its peak.
    expect(m.peakRssMiB * MiB - after).toBeGreaterThan(140 * MiB);
    expect(processPeakRssMiB()).toBeGreaterThanOrEqual(m.peakRssMiB);
  });
});
