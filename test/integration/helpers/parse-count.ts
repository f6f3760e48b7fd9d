// Counts the answers Concord parses: every REST answer is read by parseBody (server/sync/http/body.ts).
// A test file mocks that module with this, so that it can tell which pages were parsed and which were
// recognised unparsed (core/pagination/answer-facts.ts):
//
//   const parsed = vi.hoisted(() => ({ bodies: 0 }));
//   vi.mock('@/server/sync/http/body', async (original) =>
//     (await import('../helpers/parse-count')).countingParses(await original(), parsed));
import type * as Body from '@/server/sync/http/body';

export function countingParses(actual: typeof Body, count: { bodies: number }): typeof Body {
  return {
    ...actual,
    parseBody: (...args) => {
      count.bodies += 1;
      return actual.parseBody(...args);
    },
  };
}
