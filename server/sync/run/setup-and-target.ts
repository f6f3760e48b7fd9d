// A run that writes without listing its source (one object, a batch pushed through the API, approved
// deletions) needs its setup and its target, both or neither: either one failing is a single message
// for the run's summary, said before anything is written. A listing builds its source in between
// (execute.ts) and so loads them itself.
import type { Db } from '../../db/client';
import type { runs } from '../../db/schema';
import { buildTarget, type AdapterOptions, type BuiltTarget } from './adapters';
import { loadRunSetup, type RunSetup } from './setup';

export type SetupAndTarget =
  { ok: true; setup: RunSetup; target: BuiltTarget } | { ok: false; message: string };

export async function loadSetupAndTarget(
  db: Db,
  run: typeof runs.$inferSelect,
  options: AdapterOptions,
): Promise<SetupAndTarget> {
  const loaded = await loadRunSetup(db, run);
  if (!loaded.ok) return loaded;
  const target = buildTarget(db, loaded.setup, options, run.id);
  if (!target.ok) return target;
  return { ok: true, setup: loaded.setup, target };
}
