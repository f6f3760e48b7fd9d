// The shape of bench/results.json, the targets each case is judged by, and the table printed to stdout.
import os from 'node:os';
import { MALLOC_DEFAULTS } from '../server/cli/memory-settings.mjs';
import { V8_FLAGS } from './config';
import { round } from './memory';
import type { PagePace } from './page-pace';

export interface FloorResult {
  name: string;
  objects: number;
  pages: number;
  seconds: number;
  objectsPerSecond: number;
  cpuSeconds: number;
  /** Of its CPU, the time inside SQLite (the fetch+insert floor's inserts; none for fetch-only). */
  sqliteCpuSeconds: number;
  peerCpuSeconds: number | null;
  peakRssMiB: number;
}

export interface RunCountsReport {
  result: string | null;
  pagesFetched: number;
  found: number;
  created: number;
  updated: number;
  deleted: number;
  skipped: number;
  invalid: number;
  failed: number;
}

export interface CaseResult {
  name: string;
  objects: number;
  seconds: number;
  objectsPerSecond: number;
  /** User + system CPU of the bench process (Concord), and of json-server, during the case. */
  cpuSeconds: number;
  /** Of cpuSeconds, the time inside SQLite's statements (bench/sqlite-time.ts). */
  sqliteCpuSeconds: number;
  /** Where that time went: the slowest statements by their first words, in seconds. */
  sqliteStatements: [string, number][];
  /** Bytes the process wrote meanwhile (the database, its WAL and checkpoints; /proc/self/io), MB. */
  writtenMB: number | null;
  peerCpuSeconds: number | null;
  floor: string;
  floorObjectsPerSecond: number;
  /** Case wall time ÷ floor wall time (1.0 = as fast as the floor): what the targets are judged on. */
  ratio: number;
  /**
   * CPU (Concord + json-server) of the case ÷ CPU of the floor: the same comparison, but hardly moved by
   * other work on a shared machine. Null where the peer's CPU cannot be read.
   */
  cpuRatio: number | null;
  /** Concord's own CPU ÷ the floor's own CPU (the peer's CPU left out on both sides). */
  ownCpuRatio: number | null;
  /**
   * The own CPU in its two parts, each against the floor's same part: SQLite's time (null against a
   * floor that runs none) and the rest (JavaScript, the collector, the HTTP client). Which of the two is
   * far from the floor says which resource a target's miss comes from.
   */
  ownCpuParts: { sqlite: number | null; rest: number | null };
  /** Listing requests the peer served during the case, and the pages the run fetched: equal, always. */
  requests: { listing: number; pages: number };
  run: RunCountsReport;
  targetWrites: {
    /** created + updated + deleted, as the run counted them. */
    fromRun: number;
    /** What the register shows: rows created and rows updated since the run started, version increments. */
    fromRegister: { created: number; updated: number; versionIncrements: number };
  };
  /**
   * Every row the case wrote in Concord's database, by table (bench/row-writes.ts): contracts, the run's
   * ledger, steps, progress, timeline, versions, register objects… and their total, as Concord's
   * statements write them; `withTriggers`: every row SQLite changed, those its triggers wrote included.
   */
  rowsWritten: { total: number; byTable: Record<string, number>; withTriggers: number };
  /** The last tenth of the run's pages against its first tenth (null: fewer than 20 pages). */
  pagePace: PagePace | null;
  /** Pages decided from their memos (core/page-memo.ts). */
  pagesFromMemo: number;
  /** Highest RSS of the process during the case (a full collection just before it). */
  peakRssMiB: number;
  /** V8's heap in use after the case and a full collection: what the process still holds. */
  heapAfterMiB: number;
  /** Time the garbage collector paused the process during the case (part of its CPU). */
  gcSeconds: number;
  /**
   * A case measured more than once (BENCH_REPEAT), each run after its own floor: every run's CPU and its
   * floor's, in order. The case's other figures are its median run's, against the median floor.
   */
  repeats: { cpuSeconds: number[]; floorCpuSeconds: number[] } | null;
  /** What the case must do: its writes, and requests = pages. */
  target: { description: string; met: boolean };
  /** How fast it should do it (see config.ts). */
  speedTarget: { description: string; met: boolean };
}

export function machine() {
  return {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.cpus().length,
    totalMemoryGiB: round(os.totalmem() / 1024 ** 3, 1),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    // Heap flags trade CPU for peak RSS: say which ones the figures had.
    nodeOptions: process.env.NODE_OPTIONS ?? null,
    v8Flags: V8_FLAGS.join(' '),
    malloc: Object.fromEntries(Object.keys(MALLOC_DEFAULTS).map((name) => [name, process.env[name] ?? null])),
  };
}

/** The 1-minute load average: above the core count, other work was competing for the CPU. */
export const loadAverage = () => round(os.loadavg()[0] ?? 0, 2);

/** (own + peer CPU of the case) ÷ (own + peer CPU of the floor). */
export function cpuRatio(
  c: { cpuSeconds: number; peerCpuSeconds: number | null },
  f: { cpuSeconds: number; peerCpuSeconds: number | null },
): number | null {
  if (c.peerCpuSeconds === null || f.peerCpuSeconds === null) return null;
  const floor = f.cpuSeconds + f.peerCpuSeconds;
  return floor > 0 ? round((c.cpuSeconds + c.peerCpuSeconds) / floor, 3) : null;
}

/** ownCpuParts of a case against its floor (see CaseResult). */
export function ownCpuParts(
  c: { cpuSeconds: number; sqliteCpuSeconds: number },
  f: { cpuSeconds: number; sqliteCpuSeconds: number },
): { sqlite: number | null; rest: number | null } {
  const part = (mine: number, floor: number) => (floor > 0 ? round(mine / floor, 2) : null);
  return {
    sqlite: part(c.sqliteCpuSeconds, f.sqliteCpuSeconds),
    rest: part(c.cpuSeconds - c.sqliteCpuSeconds, f.cpuSeconds - f.sqliteCpuSeconds),
  };
}

export const perSecond = (objects: number, seconds: number) =>
  seconds > 0 ? Math.round(objects / seconds) : 0;

const cpu = (m: { cpuSeconds: number; peerCpuSeconds: number | null }) =>
  `${m.cpuSeconds.toFixed(1)} (${m.peerCpuSeconds === null ? '?' : m.peerCpuSeconds.toFixed(1)})`;

export function printTable(cases: readonly CaseResult[], floors: readonly FloorResult[]): void {
  const rows: string[][] = [
    [
      'case',
      'objects',
      'seconds',
      'objects/s',
      'vs floor',
      'ratio',
      'own CPU ratio',
      'requests/pages',
      'writes run/register',
      'rows written (contracts)',
      'CPU s (peer)',
      'peak RSS',
      'target',
      'speed',
    ],
  ];
  for (const c of cases) {
    const reg = c.targetWrites.fromRegister;
    rows.push([
      c.name,
      String(c.objects),
      c.seconds.toFixed(2),
      String(c.objectsPerSecond),
      `${c.floor} (${c.floorObjectsPerSecond}/s)`,
      `${c.ratio.toFixed(2)}×`,
      c.ownCpuRatio === null ? '?' : `${c.ownCpuRatio.toFixed(2)}×`,
      `${c.requests.listing}/${c.requests.pages}`,
      `${c.targetWrites.fromRun} / ${reg.created + reg.updated}`,
      `${c.rowsWritten.total} (${c.rowsWritten.byTable.contracts ?? 0})`,
      cpu(c),
      `${c.peakRssMiB} MiB`,
      c.target.met ? 'met' : 'NOT met',
      c.speedTarget.met ? 'met' : 'NOT met',
    ]);
  }
  for (const f of floors) {
    rows.push([
      `floor: ${f.name}`,
      String(f.objects),
      f.seconds.toFixed(2),
      String(f.objectsPerSecond),
      '',
      '',
      '',
      '',
      '',
      '',
      cpu(f),
      `${f.peakRssMiB} MiB`,
      '',
      '',
    ]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ');
  console.log(line(rows[0]!));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows.slice(1)) console.log(line(r));
  for (const c of cases) {
    const speed =
      c.speedTarget.description === 'none'
        ? ''
        : `; ${c.speedTarget.description} → ${c.speedTarget.met ? 'met' : 'NOT met'}`;
    console.log(`- ${c.name}: ${c.target.description} → ${c.target.met ? 'met' : 'NOT met'}${speed}`);
    const tables = Object.entries(c.rowsWritten.byTable).sort(([a], [b]) => a.localeCompare(b));
    console.log(
      `  CPU: ${c.cpuSeconds} s, of which SQLite ${c.sqliteCpuSeconds} s and garbage collection ` +
        `${c.gcSeconds} s; heap after ${c.heapAfterMiB} MiB`,
    );
    const times = (r: number | null) => (r === null ? 'none in the floor' : `${r}× the floor's`);
    console.log(
      `  own CPU by part: SQLite ${times(c.ownCpuParts.sqlite)}, the rest (JavaScript, collector, HTTP) ` +
        `${times(c.ownCpuParts.rest)}`,
    );
    if (c.repeats)
      console.log(
        `  measured ${c.repeats.cpuSeconds.length} times, each after its floor: CPU ` +
          `${c.repeats.cpuSeconds.join(' / ')} s, floor ${c.repeats.floorCpuSeconds.join(' / ')} s ` +
          `(each run ÷ its floor: ${c.repeats.cpuSeconds
            .map((cpu, i) => `${round(cpu / (c.repeats?.floorCpuSeconds[i] ?? Number.NaN), 2)}×`)
            .join(' / ')}; the medians compared)`,
      );
    const statements = c.sqliteStatements.map(([label, seconds]) => `${seconds} s ${label}…`);
    console.log(`  SQLite by statement: ${statements.join('; ') || 'none'}`);
    if (c.writtenMB !== null) console.log(`  written by the process: ${c.writtenMB} MB`);
    console.log(
      `  rows written: ${tables.map(([table, n]) => `${table} ${n}`).join(', ') || 'none'}; ` +
        `with the rows triggers write: ${c.rowsWritten.withTriggers}`,
    );
    console.log(`  pages decided from their memos: ${c.pagesFromMemo} of ${c.run.pagesFetched}`);
    const p = c.pagePace;
    if (p)
      console.log(
        `  pages: first tenth ${p.firstTenthSeconds} s, last tenth ${p.lastTenthSeconds} s (${p.endOverStart}×)`,
      );
  }
}
