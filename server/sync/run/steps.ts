// A StepRunner without durability, for dry runs, tests and one-object syncs: it memoises within one
// execution and round-trips results through JSON, as Inngest and the embedded runner's memo do.
import type { StepRunner } from '../ports';

export function memoryStep(memo = new Map<string, string>()): StepRunner & { ids: () => string[] } {
  return {
    async run<T>(id: string, fn: () => Promise<T>): Promise<T> {
      const stored = memo.get(id);
      if (stored !== undefined) return JSON.parse(stored) as T;
      const result = await fn();
      const json = JSON.stringify(result ?? null);
      memo.set(id, json);
      return JSON.parse(json) as T;
    },
    ids: () => [...memo.keys()],
  };
}
