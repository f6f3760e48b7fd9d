// Timing and peak memory of one measured phase: wall time, this process's CPU time, the peer's CPU
// time (when it can be read), and the highest RSS sampled meanwhile.
import { PerformanceObserver } from 'node:perf_hooks';
import v8 from 'node:v8';
import vm from 'node:vm';

export interface Measured<T> {
  value: T;
  seconds: number;
  /** User + system CPU of this process: unlike wall time, barely affected by other load on the machine. */
  cpuSeconds: number;
  /** CPU the REST peer (json-server) spent meanwhile, or null where /proc cannot be read. */
  peerCpuSeconds: number | null;
  peakRssMiB: number;
  /** Time V8's garbage collector paused the process (young and full collections), in seconds. */
  gcSeconds: number;
}

const SAMPLE_MS = 20;
const MiB = 1024 * 1024;

// A full garbage collection on demand (as `--expose-gc` would give): before each case, so its peak RSS
// is not what earlier phases left behind, and after it, to tell what Concord still holds from garbage.
v8.setFlagsFromString('--expose-gc');
const collect = vm.runInNewContext('gc') as () => void;

/** V8's heap in use after a full collection, in MiB. */
export function heapAfterGcMiB(): number {
  collect();
  return round(process.memoryUsage().heapUsed / MiB, 1);
}

export async function measure<T>(
  fn: () => Promise<T>,
  peerCpu: () => number | null = () => null,
): Promise<Measured<T>> {
  collect();
  let peak = process.memoryUsage.rss();
  const cpuBefore = process.cpuUsage();
  const peerBefore = peerCpu();
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, SAMPLE_MS);
  // The collector's pauses, as V8 reports them (the forced collection above is already over).
  let gcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  gc.observe({ entryTypes: ['gc'] });
  const started = process.hrtime.bigint();
  try {
    const value = await fn();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const cpu = process.cpuUsage(cpuBefore);
    const peerAfter = peerCpu();
    peak = Math.max(peak, process.memoryUsage.rss());
    return {
      value,
      seconds,
      cpuSeconds: round((cpu.user + cpu.system) / 1e6, 2),
      peerCpuSeconds: peerBefore === null || peerAfter === null ? null : round(peerAfter - peerBefore, 2),
      peakRssMiB: round(peak / MiB, 1),
      gcSeconds: round(gcMs / 1000, 2),
    };
  } finally {
    gc.disconnect();
    clearInterval(timer);
  }
}

/** The process's lifetime peak RSS (the kernel's figure), in MiB. */
export const processPeakRssMiB = () => round((process.resourceUsage().maxRSS * 1024) / MiB, 1);

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
