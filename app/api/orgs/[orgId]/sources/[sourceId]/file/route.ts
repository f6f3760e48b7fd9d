// POST /api/orgs/{orgId}/sources/{sourceId}/file — uploads a new version of a file source's file. The
// body is the file itself, streamed into storage (never held whole); its name is in `X-File-Name`.
// It acts with the session cookie, so only Concord's own pages may call it.
import { gateRoute } from '@/server/auth/route-gate';
import { crossOriginRefusal } from '@/server/auth/same-origin';
import { handleUpload } from '@/server/services/source-files';

export async function POST(
  req: Request,
  { params }: { params: Promise<{ orgId: string; sourceId: string }> },
) {
  const refused = crossOriginRefusal(req);
  if (refused) return refused;
  const { orgId, sourceId } = await params;
  const gate = await gateRoute(orgId, 'sources.write');
  if (!gate.ok) return gate.response;
  const length = req.headers.get('content-length');
  const name = req.headers.get('x-file-name') ?? new URL(req.url).searchParams.get('name') ?? 'upload';
  return handleUpload(gate.db, gate, sourceId, req.body, name, req.headers.get('content-type') ?? '', {
    ...(length && Number.isFinite(Number(length)) ? { declaredSize: Number(length) } : {}),
  });
}
