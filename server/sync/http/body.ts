// Reads a response body as JSON, XML or text: by content type when the server says, by the first
// character when it does not. An empty, unreadable or too deeply nested body is a failure value, not
// an exception.
import { parseJsonKeepingBigIntegers } from '@/server/sync/formats/json-big-integers';
import { parseXml, type XmlOptions } from '@/server/sync/formats/xml';
import { MAX_NESTING, nestedDeeperThan } from '../core/nesting';
import type { ResponseFormat } from './types';

export type ParsedBody =
  | { ok: true; format: ResponseFormat; body: unknown }
  /** `too-deep` is valid JSON or XML nested deeper than Concord reads: unparseable too, for callers. */
  | { ok: false; kind: 'empty-body' | 'unparseable' | 'too-deep'; why: string };

export function parseBody(text: string, contentType: string | undefined, xml?: XmlOptions): ParsedBody {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (!trimmed) return { ok: false, kind: 'empty-body', why: 'an empty body' };
  const type = (contentType ?? '').toLowerCase();

  if (/[/+]json\b/.test(type)) return asJson(trimmed);
  if (/[/+]xml\b/.test(type)) return asXml(trimmed, xml);
  // Sniff only when the type says nothing useful: an HTML error page is not XML, it stays text.
  // A body that starts like JSON or XML but does not parse is almost always cut off: a failure.
  if (type === '' || /^(text\/plain|application\/octet-stream)\b/.test(type)) {
    if (trimmed.startsWith('{') || trimmed.startsWith('[')) return asJson(trimmed);
    if (trimmed.startsWith('<')) return asXml(trimmed, xml);
  }
  return { ok: true, format: 'text', body: text };
}

const TOO_DEEP = `a body nested deeper than ${MAX_NESTING} levels, the most Concord reads`;

function asJson(text: string): ParsedBody {
  try {
    // Integers beyond 2^53 (64-bit ids) as their digits, not rounded into another object's id.
    const body = parseJsonKeepingBigIntegers(text);
    if (nestedDeeperThan(body)) return { ok: false, kind: 'too-deep', why: TOO_DEEP };
    return { ok: true, format: 'json', body };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, kind: 'unparseable', why: `a body that is not valid JSON (${detail})` };
  }
}

function asXml(text: string, options: XmlOptions | undefined): ParsedBody {
  const parsed = parseXml(text, options);
  if (parsed.ok) return { ok: true, format: 'xml', body: parsed.value };
  if (parsed.tooDeep) return { ok: false, kind: 'too-deep', why: TOO_DEEP };
  return { ok: false, kind: 'unparseable', why: `a body that is not valid XML (${parsed.reason})` };
}
