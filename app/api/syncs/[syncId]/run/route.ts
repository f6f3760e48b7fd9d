// POST /api/syncs/{syncId}/run — the trigger endpoint (seed 003): an organisation API key in
// `Authorization: Bearer cnc_…` requests a run; `{ "test": true }` or `{ "force": true }` in the body,
// and `{ "full": true }` for a full reconciliation of an incremental synchronisation.
import { z } from 'zod';
import { getDb } from '@/server/db/client';
import { bearerToken } from '@/server/api/bearer';
import { dispatchRun } from '@/server/runner/dispatch';
import { authenticateApiKey } from '@/server/services/api-keys';
import { UserError } from '@/server/services/errors';
import { requestRun } from '@/server/services/runs';
import { problem, readJsonBody } from '../../../_lib/json-body';

const options = z
  .object({
    test: z.boolean().default(false),
    force: z.boolean().default(false),
    full: z.boolean().default(false),
  })
  .strict();

export async function POST(req: Request, { params }: { params: Promise<{ syncId: string }> }) {
  const { syncId } = await params;
  const db = getDb();
  const key = bearerToken(req.headers.get('authorization')) || (req.headers.get('x-api-key') ?? '');
  const found = key ? await authenticateApiKey(db, key) : null;
  if (found && 'stopped' in found) return problem(found.stopped.status, found.stopped.reason);
  const caller = found;
  if (!caller) return problem(401, 'A valid API key is required (Authorization: Bearer cnc_…).');
  if (!caller.scopes.includes('run') && !caller.scopes.includes('admin'))
    return problem(403, 'This API key does not have the run scope.');
  const body = await readJsonBody(req);
  if (!body.ok) return problem(body.status, body.reason);
  const parsed = options.safeParse(body.value ?? {});
  if (!parsed.success)
    return problem(400, `Bad options: ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  try {
    const { run, alreadyActive } = await requestRun(db, caller.orgId, syncId, {
      trigger: 'api',
      ...parsed.data,
    });
    if (!alreadyActive) await dispatchRun(db, run);
    return Response.json({ runId: run.id, status: run.status, alreadyActive }, { status: 202 });
  } catch (error) {
    // The key's organisation is the only scope: another organisation's sync is simply not found.
    if (error instanceof UserError) return problem(error.code === 'NOT_FOUND' ? 404 : 400, error.message);
    throw error;
  }
}
