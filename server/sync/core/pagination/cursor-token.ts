// Cursor tokens: the body names the next position (`meta.next_cursor`, `nextPageToken`) and the next
// request sends it back in a query parameter; no token means the last page.
import { lookupPath } from '../paths';
import type { ResolvedPagination } from './config';
import type { NextStep, PageContext } from './strategy';
import { withQuery } from './urls';

/** Token locations tried by auto-detection, with the parameter each API expects the token back in. */
export const AUTO_CURSOR_TOKENS = [
  { tokenPath: 'next_cursor', param: 'cursor' },
  { tokenPath: 'nextCursor', param: 'cursor' },
  { tokenPath: 'meta.next_cursor', param: 'cursor' },
  { tokenPath: 'meta.nextCursor', param: 'cursor' },
  { tokenPath: 'response_metadata.next_cursor', param: 'cursor' },
  { tokenPath: 'nextPageToken', param: 'pageToken' },
] as const;

export function readToken(body: unknown, path: string): string | undefined {
  const lookup = lookupPath(body, path);
  if (!lookup.found) return undefined;
  const value = lookup.value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

export function nextByCursorToken(
  config: Extract<ResolvedPagination, { kind: 'cursor' }>,
  context: PageContext,
): NextStep {
  const token = readToken(context.body, config.tokenPath);
  if (token === undefined) return { kind: 'last' };
  return { kind: 'next', url: withQuery(context.url, { [config.param]: token }) };
}
