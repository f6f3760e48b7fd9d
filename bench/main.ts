// The benchmark itself (imported by run.ts once the environment points at a scratch folder): for each
// peer (the fast source, then json-server) its floors and the three sync cases, then the contracts page,
// bench/results.json and a table on stdout.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ID_KIND, OBJECTS, PAGE_SIZE, SOURCES } from './config';
import { CONTRACTS_ON_PAGE, contractsPage } from './contracts-page';
import { OBJECTS_ON_PAGE, objectsPage } from './objects-page';
import { processPeakRssMiB, round } from './memory';
import { PEER_LABELS } from './peer';
import { loadAverage, machine, printTable } from './report';
import { printPush, runPushSuite, type PushResult } from './push';
import { runSuite } from './suite';

const log = (message: string) => console.log(`[bench] ${message}`);

export async function main(root: string, work: string): Promise<void> {
  const startedAt = new Date();
  const loadAtStart = loadAverage();
  const resultsFile = path.join(root, 'bench', 'results.json');
  mkdirSync(work, { recursive: true });
  if (SOURCES.length === 0) throw new Error('BENCH_SOURCES names no known source (fast, json-server).');

  try {
    log(`${OBJECTS} objects (${PAGE_SIZE} per page, ${ID_KIND} ids) from ${SOURCES.join(', then ')}`);
    const suites = [];
    let contracts = null;
    let registerPage = null;
    let changed = 0;
    let push: PushResult | null = null;
    for (const kind of SOURCES) {
      const done = await runSuite(kind, root, path.join(work, kind));
      suites.push(done.suite);
      changed = done.changed;
      try {
        // Once, on the first peer's database: the page's queries do not depend on the source.
        if (!contracts) {
          log(`contracts page: topping up to ${CONTRACTS_ON_PAGE} contracts and timing its queries`);
          contracts = await contractsPage(done.db, done.sync);
          const p95 = Object.fromEntries(Object.entries(contracts.queries).map(([k, t]) => [k, t.p95Ms]));
          log(`contracts page: ${JSON.stringify(p95)} (ms, p95 of ${contracts.repeats})`);
        }
        // Once, from the register the first peer's pull filled: register → PostgreSQL.
        push ??= await runPushSuite(done.db.db, done.sync);
        // Once, after the push (which sends the register's objects): that register topped up.
        if (!registerPage) {
          log(`objects page: topping the register up to ${OBJECTS_ON_PAGE} objects and timing its queries`);
          registerPage = await objectsPage(done.db, done.sync);
          const p95 = Object.fromEntries(Object.entries(registerPage.queries).map(([k, t]) => [k, t.p95Ms]));
          log(`objects page: ${JSON.stringify(p95)} (ms, p95 of ${registerPage.repeats})`);
        }
      } finally {
        done.db.client.close();
      }
    }

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
        ids: ID_KIND,
        peers: Object.fromEntries(SOURCES.map((kind) => [kind, PEER_LABELS[kind]])),
        pagination: 'Link header (json-server style), read ahead by the embedded runner',
        target: 'register schema (JSON Schema validated), mapping of 6 fields',
        database: 'libSQL file (WAL), one per peer',
      },
      suites,
      contractsPage: contracts,
      objectsPage: registerPage,
      push,
      peakRssMiB: processPeakRssMiB(),
      totalSeconds: round((Date.now() - startedAt.getTime()) / 1000, 1),
    };
    writeFileSync(resultsFile, `${JSON.stringify(results, null, 2)}\n`);
    for (const suite of suites) {
      console.log(`\n${PEER_LABELS[suite.peer]}`);
      printTable(suite.cases, suite.floors);
      const d = suite.disk;
      const parts = Object.entries(d.byName).map(([name, bytes]) => `${name} ${bytes}`);
      console.log(`database: ${d.bytesPerObject} bytes per object (${d.fileMiB} MiB): ${parts.join(', ')}`);
    }
    if (push) printPush(push);
    const m = results.machine;
    console.log(
      `\nMachine: ${m.cpu}, ${m.cores} cores, ${m.totalMemoryGiB} GiB, Node ${m.node} ` +
        `(V8 flags: ${m.v8Flags || 'none'}; ${Object.entries(m.malloc)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}); ` +
        `load ${results.loadAverage.start} → ${results.loadAverage.end}; ` +
        `process peak RSS ${results.peakRssMiB} MiB; total ${results.totalSeconds} s`,
    );
    console.log(`Results written to ${resultsFile}`);
  } finally {
    if (process.env.BENCH_KEEP !== '1') rmSync(work, { recursive: true, force: true });
  }
}
