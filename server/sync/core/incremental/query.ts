// The query parameters a REST source is asked for changes with: a template such as
// `updated_since={{cursor}}` or `updatedAt_gte={{cursor}}&_sort=updatedAt`, filled with the lower
// bound of an incremental run. The value is URL-encoded when the URL is built (a `+05:00` survives).
import type { CursorValue } from './values';

export const CURSOR_PLACEHOLDER = '{{cursor}}';
const PLACEHOLDER = /\{\{\s*cursor\s*\}\}/;
const EVERY_PLACEHOLDER = new RegExp(PLACEHOLDER.source, 'g');

export type QueryTemplate =
  | { readonly ok: true; readonly pairs: readonly (readonly [string, string])[] }
  | { readonly ok: false; readonly reason: string };

/** `name=value&…` as written (not URL-decoded), at least one value holding `{{cursor}}`. */
export function parseQueryTemplate(template: string): QueryTemplate {
  const text = template.trim().replace(/^\?/, '');
  if (text === '')
    return { ok: false, reason: 'Give the query parameter, such as updated_since={{cursor}}.' };
  const pairs: (readonly [string, string])[] = [];
  for (const part of text.split('&')) {
    if (part === '') continue;
    const at = part.indexOf('=');
    const name = (at < 0 ? part : part.slice(0, at)).trim();
    if (name === '' || at < 0)
      return { ok: false, reason: `"${part.slice(0, 80)}" is not a parameter: write name=value.` };
    if (PLACEHOLDER.test(name)) return { ok: false, reason: 'The {{cursor}} goes in a value, not a name.' };
    pairs.push([name, part.slice(at + 1)]);
  }
  if (!pairs.some(([, value]) => PLACEHOLDER.test(value)))
    return {
      ok: false,
      reason: 'The query parameter must hold {{cursor}}, such as updated_since={{cursor}}.',
    };
  return { ok: true, pairs };
}

/** The parameters for one run: every `{{cursor}}` replaced by the lower bound as the source wrote it. */
export function fillQueryTemplate(
  pairs: readonly (readonly [string, string])[],
  lower: CursorValue,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of pairs) out[name] = value.replace(EVERY_PLACEHOLDER, String(lower));
  return out;
}
