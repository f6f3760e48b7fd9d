// What the engine is told about a run (core/run-page.ts RunContext), read off its setup. Every one-way
// run builds it the same way — a listing (execute.ts), a push (push.ts), objects handed to the run
// (arrived-objects.ts) — so that an object is decided alike however it came: here, once.
import type { RunMode } from '../core/one-way';
import type { RunContext } from '../core/run-page';
import { createPacer } from './pace';
import type { RunSetup } from './setup';

export function engineContext(
  setup: RunSetup,
  run: {
    runId: string;
    mode: RunMode;
    /** When the run loaded its configuration (see core/skip-rule.ts). */
    checkedAt: Date;
  },
): RunContext {
  const { runId, mode, checkedAt } = run;
  return {
    runId,
    syncId: setup.sync.id,
    idField: setup.idField,
    settings: setup.settings,
    mode,
    configChangedAt: setup.sync.updatedAt,
    mappingChangedAt: setup.mappingChangedAt,
    subObjects: setup.subObjects,
    checkedAt,
    origin: { systemId: setup.source.id, syncId: setup.sync.id, runId },
    pace: createPacer(),
  };
}
