// The benchmark itself (imported by run.ts once the environment points at a scratch folder): floors and
// the three sync cases against json-server, then bench/results.json and a table on stdout.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { openDatabase } from '@/server/db/client';
import { migrateDatabase } from '@/server/db/migrate';
import {
  registerTally,
  registerWrites,
  runSync,
  setUpSync,
  type BenchSync,
  type FinishedRun,
} from './concord';
import { OBJECTS, PAGE_SIZE, TARGETS } from './config';
import { CONTRACTS_ON_PAGE, contractsPage } from './contracts-page';
import { changeOnePercent, generateItems } from './data';
import { fetchAndInsert, fetchOnly } from './floors';
import { measure, processPeakRssMiB, round } from './memory';
import { startPeer, writeDb, type Peer } from './peer';
import { profiled } from './profile';
import {
  cpuRatio,
  loadAverage,
  machine,
  perSecond,
  printTable,
  type CaseResult,
  type FloorResult,
} from './report';

type Database = ReturnType<typeof openDatabase>;

const log = (message: string) => console.log(`[bench] ${message}`);
const WARM_UP_PAGES = 10;

async function floor(peer: Peer, name: string, fn: () => Promise<{ objects: number; pages: number }>) {
  const m = await measure(fn, peer.cpuSeconds);
  const result: FloorResult = {
    name,
    objects: m.value.objects,
    pages: m.value.pages,
    seconds: round(m.seconds, 3),
    objectsPerSecond: perSecond(m.value.objects, m.seconds),
    cpuSeconds: m.cpuSeconds,
    peerCpuSeconds: m.peerCpuSeconds,
    peakRssMiB: m.peakRssMiB,
  };
  log(`floor ${name}: ${result.objects} objects in ${result.seconds} s (${result.objectsPerSecond}/s)`);
  return result;
}

type Judge = (c: Omit<CaseResult, 'target'>) => CaseResult['target'];

interface CaseSetting {
  root: string;
  db: Database;
  sync: BenchSync;
  peer: Peer;
}

async function syncCase(
  { root, db, sync: s, peer }: CaseSetting,
  name: string,
  against: FloorResult,
  judge: Judge,
) {
  const before = await registerTally(db.db, s);
  const since = new Date();
  const m = await measure(() => profiled(root, name, () => runSync(db.db, s)), peer.cpuSeconds);
  const run: FinishedRun = m.value;
  const fromRegister = await registerWrites(db.db, s, since, before);
  const objectsPerSecond = perSecond(run.found, m.seconds);
  const result: Omit<CaseResult, 'target'> = {
    name,
    objects: run.found,
    seconds: round(m.seconds, 3),
    objectsPerSecond,
    cpuSeconds: m.cpuSeconds,
    peerCpuSeconds: m.peerCpuSeconds,
    floor: against.name,
    floorObjectsPerSecond: against.objectsPerSecond,
    ratio: round(m.seconds / against.seconds, 3),
    cpuRatio: cpuRatio(m, against),
    run: {
      result: run.result,
      pagesFetched: run.pagesFetched,
      found: run.found,
      created: run.created,
      updated: run.updated,
      deleted: run.deleted,
      skipped: run.skipped,
      invalid: run.invalid,
      failed: run.failed,
    },
    targetWrites: {
      fromRun: run.created + run.updated + run.deleted,
      fromRegister: {
        created: fromRegister.created,
        updated: fromRegister.updated,
        versionIncrements: fromRegister.versionIncrements,
      },
    },
    peakRssMiB: m.peakRssMiB,
  };
  const judged = { ...result, target: judge(result) };
  log(
    `${name}: ${run.found} objects in ${result.seconds} s (${objectsPerSecond}/s), ` +
      `${result.ratio}× ${against.name} (CPU ${result.cpuRatio}×); run ${run.result}, created ${run.created}, ` +
      `updated ${run.updated}, skipped ${run.skipped}, failed ${run.failed}, invalid ${run.invalid}`,
  );
  if (run.message && run.result !== 'success') log(`  run message: ${run.message}`);
  return judged;
}

const registerWritten = (c: Omit<CaseResult, 'target'>) =>
  c.targetWrites.fromRegister.created + c.targetWrites.fromRegister.updated;

export async function main(root: string, work: string): Promise<void> {
  const startedAt = new Date();
  const loadAtStart = loadAverage();
  const resultsFile = path.join(root, 'bench', 'results.json');
  const dbJson = path.join(work, 'db.json');
  mkdirSync(work, { recursive: true });

  log(`generating ${OBJECTS} objects (${PAGE_SIZE} per page)`);
  const items = generateItems(OBJECTS);
  writeDb(dbJson, items);
  let peer = await startPeer(root, dbJson);
  log(`json-server 0.17.4 at ${peer.url}`);
  const db = openDatabase(`file:${path.join(work, 'data', 'concord.db')}`);

  try {
    await migrateDatabase(db);
    await fetchOnly(peer.url, WARM_UP_PAGES);
    const fetchInsert = await floor(peer, 'fetch+insert', () =>
      fetchAndInsert(peer.url, path.join(work, 'floor.db')),
    );
    const setting: CaseSetting = { root, db, sync: await setUpSync(db.db, peer.url), peer };

    const initial = await syncCase(setting, 'initial pull', fetchInsert, (c) => ({
      description:
        `≥ ${TARGETS.initialObjectsPerSecond} objects/s, ≤ ${TARGETS.initialMaxRatio}× fetch+insert, ` +
        `all ${OBJECTS} created`,
      met:
        c.objectsPerSecond >= TARGETS.initialObjectsPerSecond &&
        c.ratio <= TARGETS.initialMaxRatio &&
        c.run.created === OBJECTS &&
        c.targetWrites.fromRegister.created === OBJECTS,
    }));

    const fetchBefore = await floor(peer, 'fetch-only', () => fetchOnly(peer.url));
    const unchanged = await syncCase(setting, 'unchanged re-run', fetchBefore, (c) => ({
      description: `≤ ${TARGETS.unchangedMaxRatio}× fetch-only, zero writes`,
      met:
        c.ratio <= TARGETS.unchangedMaxRatio &&
        c.targetWrites.fromRun === 0 &&
        registerWritten(c) === 0 &&
        c.targetWrites.fromRegister.versionIncrements === 0,
    }));

    // The 1 % change goes into db.json and json-server restarts on the same port (1,000 persisted
    // PATCHes would each rewrite the whole file); the source configuration stays as it was.
    await peer.stop();
    const changed = changeOnePercent(items);
    writeDb(dbJson, items);
    peer = await startPeer(root, dbJson, peer.port);
    setting.peer = peer;
    log(`changed ${changed} objects; json-server restarted`);
    await fetchOnly(peer.url, WARM_UP_PAGES);
    const fetchAfter = await floor(peer, 'fetch-only (after change)', () => fetchOnly(peer.url));
    const onePercent = await syncCase(setting, '1 % changed', fetchAfter, (c) => ({
      description: `exactly ${changed} objects written (updated), none created`,
      met:
        c.targetWrites.fromRun === changed &&
        c.run.updated === changed &&
        c.targetWrites.fromRegister.updated === changed &&
        c.targetWrites.fromRegister.created === 0 &&
        c.targetWrites.fromRegister.versionIncrements === changed,
    }));

    log(`contracts page: topping up to ${CONTRACTS_ON_PAGE} contracts and timing its queries`);
    const contracts = await contractsPage(db, setting.sync);
    log(`contracts page: ${JSON.stringify(contracts.medianOfFive)} (ms, median of 5)`);

    const cases = [initial, unchanged, onePercent];
    const floors = [fetchInsert, fetchBefore, fetchAfter];
    const results = {
      date: startedAt.toISOString(),
      machine: machine(),
      // 1-minute load averages: above the core count, other work competed for the CPU (compare cpuSeconds).
      loadAverage: { start: loadAtStart, end: loadAverage() },
      setup: {
        objects: OBJECTS,
        pageSize: PAGE_SIZE,
        pages: Math.ceil(OBJECTS / PAGE_SIZE),
        changedObjects: changed,
        peer: 'json-server 0.17.4 (child process, Link-header pages)',
        target: 'register schema (JSON Schema validated), mapping of 6 fields',
        database: 'libSQL file (WAL)',
      },
      cases,
      floors,
      contractsPage: contracts,
      peakRssMiB: processPeakRssMiB(),
      totalSeconds: round((Date.now() - startedAt.getTime()) / 1000, 1),
    };
    writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    console.log('');
    printTable(cases, floors);
    const m = results.machine;
    console.log(
      `\nMachine: ${m.cpu}, ${m.cores} cores, ${m.totalMemoryGiB} GiB, Node ${m.node}; ` +
        `load ${results.loadAverage.start} → ${results.loadAverage.end}; ` +
        `process peak RSS ${results.peakRssMiB} MiB; total ${results.totalSeconds} s`,
    );
    console.log(`Results written to ${resultsFile}`);
  } finally {
    await peer.stop();
    db.client.close();
    if (process.env.BENCH_KEEP !== '1') rmSync(work, { recursive: true, force: true });
  }
}
