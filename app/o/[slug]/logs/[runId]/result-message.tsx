// The run's result and its message, prominent: the message is written for a person to act on.
import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/trpc/root';

type Run = inferRouterOutputs<AppRouter>['runs']['get'];

const STYLES = {
  success: { box: 'border-green-200 bg-green-50 text-green-900', title: 'Finished successfully' },
  warning: { box: 'border-amber-200 bg-amber-50 text-amber-900', title: 'Finished with a warning' },
  error: { box: 'border-red-200 bg-red-50 text-red-900', title: 'Finished with an error' },
} as const;

// A test run only planned: its title says so, whatever its result.
const TEST_STYLES = {
  success: { box: 'border-sky-200 bg-sky-50 text-sky-900', title: 'Test run finished: nothing was written' },
  warning: {
    box: 'border-amber-200 bg-amber-50 text-amber-900',
    title: 'Test run finished with a warning: nothing was written',
  },
  error: {
    box: 'border-red-200 bg-red-50 text-red-900',
    title: 'Test run finished with an error: nothing was written',
  },
} as const;

export function ResultMessage({ run }: { run: Run }) {
  const style =
    run.status === 'cancelled'
      ? { box: 'border-slate-200 bg-slate-50 text-slate-800', title: 'Cancelled' }
      : (run.test ? TEST_STYLES : STYLES)[run.result ?? 'warning'];
  return (
    <section className={`rounded-lg border px-4 py-3 ${style.box}`} data-testid="run-result" role="status">
      <h2 className="text-sm font-semibold">{style.title}</h2>
      <p className="mt-1 text-base">{run.message ?? 'The run left no message.'}</p>
    </section>
  );
}
