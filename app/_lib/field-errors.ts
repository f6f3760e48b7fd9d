// Which form field a problem is about: each problem of a refused call names its input field
// (`sourceConfig.pagination.limit`); a form field shows the problems of its own name or inside it.

/** `sourceConfig.pagination.start` and `hashFields.0` belong to `sourceConfig.pagination` and `hashFields`. */
export function matchesField(field: string | null, keys: readonly string[]): boolean {
  if (!field) return false;
  return keys.some((k) => field === k || field.startsWith(`${k}.`) || field.startsWith(`${k}[`));
}

/** The sentences of the problems about any of `keys`, or null. */
export function problemsAt(
  problems: readonly { field: string; message: string }[],
  keys: readonly string[],
): string | null {
  const found = problems.filter((p) => matchesField(p.field, keys)).map((p) => p.message);
  return found.length ? found.join(' ') : null;
}
