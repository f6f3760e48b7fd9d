// Which form field an API error is about: `error.data.field` from a service's UserError, or the path
// of the first zod issue; a field shows the reason when the name is its own or inside it.
import { TRPCClientError } from '@trpc/client';

interface ErrorData {
  field?: string | null;
  zodIssues?: { path: (string | number)[] }[] | null;
}

export function errorField(error: unknown): string | null {
  if (!(error instanceof TRPCClientError)) return null;
  const data = error.data as ErrorData | undefined;
  if (data?.field) return data.field;
  const path = data?.zodIssues?.[0]?.path;
  return path?.length ? path.join('.') : null;
}

/** `sourceConfig.pagination.start` and `hashFields[0]` belong to `sourceConfig.pagination` and `hashFields`. */
export function matchesField(field: string | null, keys: readonly string[]): boolean {
  if (!field) return false;
  return keys.some((k) => field === k || field.startsWith(`${k}.`) || field.startsWith(`${k}[`));
}
