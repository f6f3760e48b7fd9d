// Timing and peak memory of one measured phase: wall time, this process's CPU time, the peer's CPU
// time (when it can be read), and the highest RSS meanwhile.
import { readFileSync, writeFileSync } from 'node:fs';
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

// The kernel's high-water mark of this process's resident set (VmHWM), which writing 5 to
// /proc/self/clear_refs resets to the current RSS (Linux ≥ 4.0). Sampling every SAMPLE_MS alone missed
// spikes between two samples: at 1M objects a case sampled at 272 MiB while the process's peak, taken in
// it, was 303 (issue 14). Null where /proc cannot be read or written.
function kernelPeakBytes(): number | null {
  try {
    const kb = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1];
    return kb === undefined ? null : Number(kb) * 1024;
  } catch {
    return null;
  }
}

// The highest peak of any phase: resetting the mark between phases lowers what the kernel reports for
// the process's life (getrusage's maxRSS follows it), so processPeakRssMiB keeps this too.
let highestBytes = 0;

function resetKernelPeak(): boolean {
  highestBytes = Math.max(highestBytes, kernelPeakBytes() ?? 0);
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

export async function measure<T>(
  fn: () => Promise<T>,
  peerCpu: () => number | null = () => null,
): Promise<Measured<T>> {
  collect();
  const kernelPeak = resetKernelPeak();
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
    peak = Math.max(peak, process.memoryUsage.rss(), (kernelPeak ? kernelPeakBytes() : null) ?? 0);
    highestBytes = Math.max(highestBytes, peak);
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

/** The process's lifetime peak RSS (the kernel's figure, and the phases' peaks), in MiB. */
export const processPeakRssMiB = () =>
  round(Math.max(process.resourceUsage().maxRSS * 1024, highestBytes, kernelPeakBytes() ?? 0) / MiB, 1);

export function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
