// The problems of one form row, shown right under it.
import type { Problem } from '../_lib/draft';

export function InlineProblems({ problems, hint }: { problems: readonly Problem[]; hint?: string }) {
  if (!problems.length && !hint) return null;
  return (
    <ul className="mt-1 space-y-0.5 text-xs" data-testid="row-problems">
      {problems.map((p, i) => (
        <li key={i} className="text-red-700">
          {p.message}
        </li>
      ))}
      {hint && <li className="text-amber-700">{hint}</li>}
    </ul>
  );
}
