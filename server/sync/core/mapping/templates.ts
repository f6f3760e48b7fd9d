// Liquid templates in mapping values (`{{ name | upcase }}`), rendered synchronously with liquidjs.
// Liquid never evaluates JavaScript and the engine reads no files. A synchronous render holds the whole
// process, so every template rendered for one object draws on ONE budget of time and memory (see
// template-budget.ts): a mapping of many slow templates cannot hold the process longer than one budget.
import { Liquid, type Template } from 'liquidjs';
import { BudgetedContext, budgetExceeded, type TemplateBudget } from './template-budget';

const engine = new Liquid({
  // An empty in-memory template store: {% include %} and {% render %} find nothing instead of reading disk.
  templates: {},
  strictFilters: true,
  strictVariables: false,
  ownPropertyOnly: true,
  // The mapping's templates together are bounded when it is compiled (MAX_TEMPLATE_TEXT in config.ts).
  parseLimit: 100_000,
});

const FILE_TAGS = /\{%-?\s*(include|render|layout)\b/;

export type CompiledTemplate =
  | { readonly ok: true; readonly render: (scope: object, budget: TemplateBudget) => RenderResult }
  | { readonly ok: false; readonly reason: string };

export type RenderResult =
  | { readonly ok: true; readonly text: string }
  /** `budget` is set when the object's template budget ran out: rendering more is pointless. */
  | { readonly ok: false; readonly reason: string; readonly budget?: true };

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
  const render = (scope: object, budget: TemplateBudget): RenderResult => {
    try {
      return {
        ok: true,
        text: String(engine.renderSync(templates, BudgetedContext.open(engine, scope, budget))),
      };
    } catch (error) {
      const exceeded = budgetExceeded(error, budget);
      if (exceeded) return { ok: false, reason: exceeded, budget: true };
      return { ok: false, reason: `Template failed: ${firstLine(error)}` };
    }
  };
  return { ok: true, render };
}

function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
