// /api/v1 — the public REST API. One door (server/api/v1/handle.ts) for every route of the list in
// server/api/v1/routes/ (index.ts holds the list); the OpenAPI document is at /api/v1/openapi.json.
import { handleApiRequest } from '@/server/api/v1/handle';

export const dynamic = 'force-dynamic';

const handle = (req: Request) => handleApiRequest(req);
export { handle as GET, handle as POST, handle as PUT, handle as PATCH, handle as DELETE };
