// POST /api/webhooks/{syncId} with the token in `X-Concord-Token` (or `?token=`): a JSON object syncs
// that object now; an empty body requests a full run. A bad payload gets a 4xx and changes nothing.
import { getDb } from '@/server/db/client';
import { dispatchRun } from '@/server/runner/dispatch';
import { requestRun } from '@/server/services/runs';
import { requestObjectRun, webhookTarget } from '@/server/services/webhooks';
import { problem, readJsonBody } from '../../_lib/json-body';

export async function POST(req: Request, { params }: { params: Promise<{ syncId: string }> }) {
  const { syncId } = await params;
  const db = getDb();
  const token = req.headers.get('x-concord-token') ?? new URL(req.url).searchParams.get('token');
  const target = await webhookTarget(db, syncId, token);
  if (!target.ok) return problem(target.status, target.reason);
  const body = await readJsonBody(req);
  if (!body.ok) return problem(body.status, body.reason);
  if (body.value === undefined) {
    const { run, alreadyActive } = await requestRun(db, target.sync.orgId, syncId, { trigger: 'webhook' });
    if (!alreadyActive) await dispatchRun(db, run);
    return Response.json({ runId: run.id, kind: 'full-run', alreadyActive }, { status: 202 });
  }
  const value = body.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return problem(400, 'Send one JSON object (or an empty body for a full run).');
  }
  if (Object.keys(value).length === 0) return problem(400, 'The object is empty.');
  const run = await requestObjectRun(db, target.sync, value as Record<string, unknown>);
  await dispatchRun(db, { ...run, object: value as Record<string, unknown> });
  return Response.json({ runId: run.id, kind: 'object' }, { status: 202 });
}
