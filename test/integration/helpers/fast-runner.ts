// The embedded runner as the runner tests start it: private addresses allowed, fast HTTP retries, a
// quick poll, a tick that does not come during the test, and no log lines.
import type { Db } from '@/server/db/client';
import { EmbeddedRunner } from '@/server/runner/embedded';
import { FAST_HTTP } from './sync-setup';

export function fastRunner(db: Db): EmbeddedRunner {
  return new EmbeddedRunner(db, {
    urlPolicy: { allowPrivateNetworks: true },
    http: FAST_HTTP,
    pollMs: 20,
    tickMs: 60_000,
    log: () => {},
  });
}
