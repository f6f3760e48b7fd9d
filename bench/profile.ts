// BENCH_PROFILE=1 npm run bench: records a V8 CPU profile of each sync case into bench/profiles/
// (open it in Chrome DevTools or VS Code). Off by default: the profiler itself slows the run down.
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import path from 'node:path';

export async function profiled<T>(root: string, name: string, fn: () => Promise<T>): Promise<T> {
  if (process.env.BENCH_PROFILE !== '1') return fn();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    const dir = path.join(root, 'bench', 'profiles');
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
    console.log(`[bench] CPU profile of ${name}: ${file}`);
  }
}
