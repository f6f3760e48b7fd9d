// `npm run bench`: points Concord's data folder at a scratch directory under bench/.work before any
// server module loads, sets the V8 flags and malloc settings `npm start` gives the server
// (server/cli/memory-settings.mjs), then runs the benchmark (bench/main.ts). BENCH_OBJECTS and
// BENCH_KEEP=1 are for quick trial runs and for inspecting the scratch databases afterwards.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { MALLOC_DEFAULTS, serverEnv } from '../server/cli/memory-settings.mjs';
import { V8_FLAGS } from './config';

// glibc reads its malloc settings as the process starts: without them, run again with them.
if (Object.keys(MALLOC_DEFAULTS).some((name) => process.env[name] === undefined)) {
  const again = spawnSync(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: { ...process.env, ...serverEnv(process.env) },
  });
  process.exit(again.status ?? 1);
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = path.join(root, 'bench', '.work', `run-${process.pid}-${Date.now()}`);
process.chdir(root);
process.env.CONCORD_DATA_DIR = path.join(work, 'data');
delete process.env.DATABASE_URL;
delete process.env.DATABASE_AUTH_TOKEN;
// Set before anything is measured: the heap flags are read at each collection, so they apply from here.
for (const flag of V8_FLAGS) v8.setFlagsFromString(flag);

const { main } = await import('./main');
await main(root, work);
