// The API reference: the OpenAPI document of /api/v1 (generated from the route list) rendered as a
// page, grouped by tag — each operation with its scope, parameters and example body.
import type { Metadata } from 'next';
import { Card, PageHeader } from '@/app/_components/ui';
import { loadOrgPage } from '@/app/_lib/org-page';
import { openApiDocument } from '@/server/api/v1/openapi';

export const metadata: Metadata = { title: 'API reference' };

interface Parameter {
  name: string;
  in: string;
  required: boolean;
  description?: string;
}
interface Operation {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  'x-scope': string;
  parameters: Parameter[];
  requestBody?: { content: Record<string, { example?: unknown } | undefined> };
}

const METHOD_TONE: Record<string, string> = {
  get: 'bg-sky-100 text-sky-800',
  post: 'bg-emerald-100 text-emerald-800',
  put: 'bg-amber-100 text-amber-800',
  patch: 'bg-amber-100 text-amber-800',
  delete: 'bg-red-100 text-red-800',
};

export default async function ApiReferencePage({ params }: { params: Promise<{ slug: string }> }) {
  const { slug } = await params;
  await loadOrgPage(slug, '/settings/api');
  const doc = openApiDocument() as {
    info: { description: string };
    paths: Record<string, Record<string, Operation>>;
  };
  const byTag = new Map<string, { method: string; path: string; op: Operation }[]>();
  for (const [path, methods] of Object.entries(doc.paths))
    for (const [method, op] of Object.entries(methods)) {
      const tag = op.tags[0] ?? 'Other';
      byTag.set(tag, [...(byTag.get(tag) ?? []), { method, path, op }]);
    }
  return (
    <>
      <PageHeader title="API reference" description={doc.info.description} />
      <p className="mb-4 text-sm text-slate-600">
        Base address <code>/api/v1</code>. The machine-readable document is at{' '}
        <a className="text-sky-700 underline" href="/api/v1/openapi.json">
          /api/v1/openapi.json
        </a>
        ; generate a client from it (for example with openapi-typescript).
      </p>
      {[...byTag.entries()].map(([tag, operations]) => (
        <div key={tag} className="mb-6">
          <Card title={tag}>
            <ul className="divide-y divide-slate-100">
              {operations.map(({ method, path, op }) => (
                <li key={op.operationId} id={op.operationId} className="py-3">
                  <div className="flex flex-wrap items-center gap-2">
                    <span
                      className={`rounded px-2 py-0.5 font-mono text-xs uppercase ${METHOD_TONE[method] ?? ''}`}
                    >
                      {method}
                    </span>
                    <code className="text-sm">{path}</code>
                    <span className="text-xs text-slate-500">scope: {op['x-scope']}</span>
                  </div>
                  <p className="mt-1 text-sm">{op.summary}</p>
                  {op.description && <p className="mt-1 text-xs text-slate-600">{op.description}</p>}
                  {op.parameters.length > 0 && (
                    <ul className="mt-1 text-xs text-slate-600">
                      {op.parameters.map((p) => (
                        <li key={`${p.in}-${p.name}`}>
                          <code>{p.name}</code> ({p.in}
                          {p.required ? ', required' : ''}){p.description ? `: ${p.description}` : ''}
                        </li>
                      ))}
                    </ul>
                  )}
                  {op.requestBody?.content['application/json']?.example !== undefined && (
                    <pre className="mt-2 overflow-x-auto rounded bg-slate-50 p-2 text-xs">
                      {JSON.stringify(op.requestBody.content['application/json']?.example, null, 2)}
                    </pre>
                  )}
                </li>
              ))}
            </ul>
          </Card>
        </div>
      ))}
    </>
  );
}
