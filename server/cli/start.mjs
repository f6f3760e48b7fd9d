// `npm start`: builds Concord when the sources changed since the last build, then serves it.
// Migrations and the embedded runner start inside the server process (instrumentation.ts).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { serverEnv, v8Flags } from './memory-settings.mjs';

const root = process.cwd();
let flags;
try {
  flags = v8Flags();
} catch (error) {
  console.error(`Concord: ${error.message}`);
  process.exit(1);
}
const INPUTS = [
  'app',
  'server',
  'inngest',
  'public',
  'instrumentation.ts',
  'instrumentation-client.ts',
  'next.config.ts',
  'proxy.ts',
  'package-lock.json',
  'postcss.config.mjs',
  'tsconfig.json',
];
const stampFile = path.join(root, '.next', 'concord-build-stamp');

function* walk(p) {
  if (!existsSync(p)) return;
  const stat = statSync(p);
  if (stat.isDirectory()) {
    for (const name of readdirSync(p).sort()) yield* walk(path.join(p, name));
  } else {
    yield `${path.relative(root, p)}:${stat.size}:${stat.mtimeMs}`;
  }
}

function sourceStamp() {
  const hash = createHash('sha256');
  for (const input of INPUTS) for (const line of walk(path.join(root, input))) hash.update(`${line}\n`);
  return hash.digest('hex');
}

const next = path.join(root, 'node_modules', '.bin', 'next');
// Concord calls no outside service on its own, so Next's telemetry is off unless asked for.
const env = { NEXT_TELEMETRY_DISABLED: '1', ...process.env, NODE_ENV: 'production' };
const stamp = sourceStamp();
const built =
  existsSync(path.join(root, '.next', 'BUILD_ID')) &&
  existsSync(stampFile) &&
  readFileSync(stampFile, 'utf8') === stamp;

if (!built) {
  console.log('Concord: building (first start, or the sources changed)…');
  // libSQL does not create a missing folder for a file: URL, and the build loads route modules.
  // The folder holds the database and the keys: private to Concord's user (0700).
  mkdirSync(path.resolve(root, process.env.CONCORD_DATA_DIR ?? 'data'), { recursive: true, mode: 0o700 });
  const result = spawnSync(next, ['build'], { stdio: 'inherit', env });
  if (result.status !== 0) process.exit(result.status ?? 1);
  writeFileSync(stampFile, stamp);
}

// Not `next start`: serve.mjs records each request's peer address (see there).
const server = spawn(process.execPath, [...flags, path.join(root, 'server', 'cli', 'serve.mjs')], {
  stdio: 'inherit',
  env: serverEnv({ PORT: '3000', ...env }),
});
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
