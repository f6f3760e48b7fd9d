// Liquid templates in mapping values (`{{ name | upcase }}`), rendered synchronously with liquidjs.
// Liquid never evaluates JavaScript; the engine also reads no files and bounds time and memory.
import { Liquid, type Template } from 'liquidjs';

const engine = new Liquid({
  // An empty in-memory template store: {% include %} and {% render %} find nothing instead of reading disk.
  templates: {},
  strictFilters: true,
  strictVariables: false,
  ownPropertyOnly: true,
  parseLimit: 100_000,
  renderLimit: 1_000,
  memoryLimit: 10_000_000,
});

const FILE_TAGS = /\{%-?\s*(include|render|layout)\b/;

export type CompiledTemplate =
  | { readonly ok: true; readonly render: (scope: object) => RenderResult }
  | { readonly ok: false; readonly reason: string };

export type RenderResult =
  { readonly ok: true; readonly text: string } | { readonly ok: false; readonly reason: string };

const cache = new Map<string, CompiledTemplate>();

export function compileTemplate(source: string): CompiledTemplate {
  const cached = cache.get(source);
  if (cached) return cached;
  const compiled = compileUncached(source);
  if (cache.size > 2_000) cache.clear();
  cache.set(source, compiled);
  return compiled;
}

function compileUncached(source: string): CompiledTemplate {
  const fileTag = FILE_TAGS.exec(source);
  if (fileTag) return { ok: false, reason: `The {% ${fileTag[1]} %} tag is not available in mappings` };
  let templates: Template[];
  try {
    templates = engine.parse(source);
  } catch (error) {
    return { ok: false, reason: `Template error: ${firstLine(error)}` };
  }
  const render = (scope: object): RenderResult => {
    try {
      return { ok: true, text: String(engine.renderSync(templates, scope)) };
    } catch (error) {
      return { ok: false, reason: `Template failed: ${firstLine(error)}` };
    }
  };
  return { ok: true, render };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
