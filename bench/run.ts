// `npm run bench`: points Concord's data folder at a scratch directory under bench/.work before any
// server module loads, then runs the benchmark (bench/main.ts). BENCH_OBJECTS and BENCH_KEEP=1 are for
// quick trial runs and for inspecting the scratch databases afterwards.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = path.join(root, 'bench', '.work', `run-${process.pid}-${Date.now()}`);
process.chdir(root);
process.env.CONCORD_DATA_DIR = path.join(work, 'data');
delete process.env.DATABASE_URL;
delete process.env.DATABASE_AUTH_TOKEN;

const { main } = await import('./main');
await main(root, work);
