// Every Inngest function Concord serves at /api/inngest.
import { objectReceivedFunction } from './functions/object-received';
import { pushChangesFunction } from './functions/push-changes';
import { runSyncFunction } from './functions/run-sync';
import { scheduleTickFunction } from './functions/schedule-tick';

export { inngest } from './client';
export const functions = [runSyncFunction, scheduleTickFunction, objectReceivedFunction, pushChangesFunction];
