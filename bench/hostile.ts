// `npm run bench:hostile`: how long another organisation's request waits while a hostile mapping is
// tried or run in the same process (issue 9). Scratch data folder as in run.ts, then bench/hostile-main.ts.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = path.join(root, 'bench', '.work', `hostile-${process.pid}-${Date.now()}`);
process.chdir(root);
process.env.CONCORD_DATA_DIR = path.join(work, 'data');
delete process.env.DATABASE_URL;
delete process.env.DATABASE_AUTH_TOKEN;

const { main } = await import('./hostile-main');
await main(root, work);
