// GET /api/orgs/{orgId}/runs/{runId}/entries?format=ndjson|csv[&action=&reason=&search=] — a run's
// entries as a download, with the same filters as the run log's list. Behind the organisation gate of
// every other route (runs.read), and streamed: the body is written as the rows are read.
import { gateRoute } from '@/server/auth/route-gate';
import { UserError } from '@/server/services/errors';
import { EXPORT_FORMATS, exportRunEntries } from '@/server/services/run-export';
import { runEntryFilterSchema } from '@/server/services/runs';
import { z } from 'zod';

const query = runEntryFilterSchema.extend({ format: z.enum(EXPORT_FORMATS).default('ndjson') });

export async function GET(req: Request, { params }: { params: Promise<{ orgId: string; runId: string }> }) {
  const { orgId, runId } = await params;
  const gate = await gateRoute(orgId, 'runs.read');
  if (!gate.ok) return gate.response;
  const asked = Object.fromEntries([...new URL(req.url).searchParams].filter(([, value]) => value !== ''));
  const parsed = query.safeParse(asked);
  if (!parsed.success) {
    return Response.json(
      {
        error:
          'Ask for format=ndjson or format=csv, and an action the log knows (create, update, delete, hold, invalid, failed, conflict).',
      },
      { status: 400 },
    );
  }
  const { format, ...filter } = parsed.data;
  try {
    const { body, fileName } = await exportRunEntries(gate.db, gate.orgId, runId, format, filter);
    return new Response(body, {
      headers: {
        'content-type': format === 'csv' ? 'text/csv; charset=utf-8' : 'application/x-ndjson; charset=utf-8',
        'content-disposition': `attachment; filename="${fileName}"`,
        'cache-control': 'no-store',
      },
    });
  } catch (error) {
    if (error instanceof UserError && error.code === 'NOT_FOUND')
      return Response.json({ error: error.message }, { status: 404 });
    throw error;
  }
}
