// The app as the kill-and-restart specs start it themselves: `next start` of the production build on
// its own port and data folder, detached (its own process group, so a kill reaches every process it
// started). Its output goes to a file in the data folder instead of being thrown away, and `show` logs
// its last lines when a spec fails, so that a run that did not resume says why.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';

export function appProcess(options: { port: number; dataDir: string; env?: Record<string, string> }) {
  const { port, dataDir } = options;
  const file = path.join(dataDir, 'app.log');
  return {
    /** Starts the app (again): every start's output appended to the same file. */
    start(): ChildProcess {
      const fd = openSync(file, 'a');
      try {
        return spawn(
          path.resolve('node_modules/.bin/next'),
          ['start', '-p', String(port), '-H', '127.0.0.1'],
          {
            detached: true,
            stdio: ['ignore', fd, fd],
            env: {
              ...process.env,
              NODE_ENV: 'production',
              NEXT_TELEMETRY_DISABLED: '1',
              CONCORD_DATA_DIR: dataDir,
              CONCORD_ALLOW_PRIVATE_URLS: '1',
              NEXTAUTH_URL: `http://127.0.0.1:${port}`,
              ...options.env,
            },
          },
        );
      } finally {
        // The child has its own copy.
        closeSync(fd);
      }
    },
    /** Logs the last lines the app wrote. */
    show(lines = 120): void {
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        text = '(no output)';
      }
      console.error(`The app's last output (${file}):\n${text.split('\n').slice(-lines).join('\n')}`);
    },
  };
}
