// How a run entry's action reads: its badge's words and colour, and what it means.
import { COUNT_HINTS } from '../_components/run-labels';

export const ENTRY_ACTIONS = {
  create: { tone: 'green', label: 'create', hint: undefined },
  update: { tone: 'blue', label: 'update', hint: undefined },
  delete: { tone: 'amber', label: 'delete', hint: undefined },
  hold: { tone: 'amber', label: 'held', hint: 'The deletion waits for approval.' },
  invalid: { tone: 'red', label: 'invalid', hint: COUNT_HINTS.invalid },
  failed: { tone: 'red', label: 'failed', hint: COUNT_HINTS.failed },
  conflict: {
    tone: 'amber',
    label: 'conflict',
    hint: 'Both sides changed this object: nothing was written; it waits in Conflicts.',
  },
} as const;
