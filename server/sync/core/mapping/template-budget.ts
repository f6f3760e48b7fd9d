// One budget of time and memory per mapped object, shared by all of the mapping's templates.
// liquidjs bounds each render call on its own and checks the time only between tags, so a filter such as
// `where` or `map` over a long list runs unchecked; here every property read, scope and loop item of any
// template of the object checks the one deadline, and liquidjs's memory charges draw on one allowance.
import { Context } from 'liquidjs';

/** Time all templates of one object (or one preview) may take together. */
export const TEMPLATE_TIME_BUDGET_MS = 40;
/**
 * Characters and list items the templates of one object may build together (liquidjs's memory units).
 * Also bounds the work a single filter does between two checks of the deadline (sorting a range, say).
 */
export const TEMPLATE_MEMORY_BUDGET = 300_000;

/** Opaque: made once per object by newTemplateBudget and handed to every template rendered for it. */
export interface TemplateBudget {
  readonly ms: number;
  readonly memory: number;
  readonly limits: Pick<Context, 'renderLimit' | 'memoryLimit'>;
}

/** Starts the clock: the budget's time runs from now. */
export function newTemplateBudget(
  ms: number = TEMPLATE_TIME_BUDGET_MS,
  memory: number = TEMPLATE_MEMORY_BUDGET,
): TemplateBudget {
  // A throw-away context makes liquidjs's own limiters: a deadline (now + ms) and a memory allowance.
  const limits = new Context({}, undefined, { renderLimit: ms, memoryLimit: memory });
  return { ms, memory, limits: { renderLimit: limits.renderLimit, memoryLimit: limits.memoryLimit } };
}

type Engine = { readonly options: Context['opts'] };

/** A render context that checks the deadline wherever a template does work per item. */
export class BudgetedContext extends Context {
  static open(engine: Engine, scope: object, budget: TemplateBudget): BudgetedContext {
    const { renderLimit, memoryLimit } = budget.limits;
    return new BudgetedContext(
      scope,
      engine.options,
      { sync: true },
      { renderLimit, memoryLimit, liquid: engine },
    );
  }

  private check(): void {
    this.renderLimit.check(performance.now());
  }

  // Filters that evaluate something per list item (where, group_by, find, sum…) spawn or push a scope.
  override spawn(scope: object = {}): Context {
    this.check();
    const options = {
      sync: this.sync,
      globals: this.globals,
      strictVariables: this.strictVariables,
      ownPropertyOnly: this.ownPropertyOnly,
    };
    const { renderLimit, memoryLimit } = this;
    const liquid: unknown = this.liquid;
    return new BudgetedContext(scope, this.opts, options, { renderLimit, memoryLimit, liquid });
  }

  override push(scope: object): number {
    this.check();
    return super.push(scope);
  }

  // Every variable and property read (map, sort by a property, outputs) passes here.
  override readProperty(...args: Parameters<Context['readProperty']>): unknown {
    this.check();
    return super.readProperty(...args);
  }
}

/** The sentence for an error that is the budget running out, or null for any other error. */
export function budgetExceeded(error: unknown, budget: TemplateBudget): string | null {
  const message = error instanceof Error ? error.message : String(error);
  if (message.includes('template render limit exceeded'))
    return (
      `The templates ran out of time: all templates of a mapping get ${budget.ms} ms per object together ` +
      '(a loop over a large range or list is the usual cause)'
    );
  if (message.includes('memory alloc limit exceeded'))
    return (
      `The templates ran out of room: all templates of a mapping may build ${budget.memory.toLocaleString('en')} ` +
      'characters or list items per object together (a large range, list or repeated text is the usual cause)'
    );
  return null;
}
