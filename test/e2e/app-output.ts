// The output of an app process a spec starts itself (the kill-and-restart specs): written to a file in
// the spec's data folder instead of thrown away, and its last lines shown when the spec fails, so that
// a run that did not resume says why.
import { closeSync, openSync, readFileSync } from 'node:fs';
import path from 'node:path';

export function appOutput(dataDir: string) {
  const file = path.join(dataDir, 'app.log');
  return {
    /** Spawns with the app's stdout and stderr appended to the file (the parent's copy closed). */
    spawnWith<T>(spawn: (stdio: ['ignore', number, number]) => T): T {
      const fd = openSync(file, 'a');
      try {
        return spawn(['ignore', fd, fd]);
      } finally {
        closeSync(fd);
      }
    },
    /** Logs the last lines the app wrote (every start of it, in order). */
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
