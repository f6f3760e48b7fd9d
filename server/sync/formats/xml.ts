// XML → JSON for REST responses and XML files: attributes under `@attributes`, text beside them under
// `#text`, repeated elements as arrays, every value kept as a string (casts belong to mappings).
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { MAX_NESTING, nestingReason } from '../core/nesting';

/** A parsed element: a string (text-only or empty element), an object, or a list of repeated elements. */
export type XmlNode = string | XmlElement | XmlNode[];
export interface XmlElement {
  [name: string]: XmlNode | Record<string, string> | undefined;
  '@attributes'?: Record<string, string>;
  '#text'?: string;
}

export interface XmlOptions {
  /** Element paths (as dots from the root, e.g. `catalog.book`) that are always lists, even with one element. */
  forceArray?: readonly string[];
}

export type XmlResult =
  | { ok: true; value: XmlElement }
  /** `tooDeep`: valid XML, but elements nested deeper than MAX_NESTING levels (the reason says so). */
  | { ok: false; reason: string; line?: number; column?: number; tooDeep?: true };

export const ATTRIBUTES_KEY = '@attributes';
export const TEXT_KEY = '#text';

// One parser per distinct forceArray list: building options is cheap but parsing is the hot path.
function makeParser(forceArray: ReadonlySet<string>): XMLParser {
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    attributesGroupName: ATTRIBUTES_KEY,
    textNodeName: TEXT_KEY,
    // Keep "007" and "true" as written: a mapping decides what they mean.
    parseTagValue: false,
    parseAttributeValue: false,
    removeNSPrefix: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    // `true` also turns on numeric character references (&#169;); without it they stay undecoded.
    htmlEntities: true,
    // fast-xml-parser refuses external entities outright and caps internal expansion, so nothing is fetched.
    processEntities: true,
    // Deeper documents are refused (parseXml says so): what follows the parser recurses.
    maxNestedTags: MAX_NESTING,
    isArray: (_name, jpath, _leaf, isAttribute) =>
      !isAttribute && typeof jpath === 'string' && forceArray.has(jpath),
  });
}

const defaultParser = makeParser(new Set());

/** Parses a whole XML document. Invalid XML is a failure value with the line and column to look at. */
export function parseXml(text: string, options: XmlOptions = {}): XmlResult {
  // The validator rejects a BOM or blank lines before `<?xml`; strip them and keep line numbers true.
  const start = text.search(/[^\s\uFEFF]/);
  if (start < 0) return { ok: false, reason: 'The XML document is empty.' };
  const skippedLines = countNewlines(text, start);
  const xml = text.slice(start);

  const validation = XMLValidator.validate(xml);
  if (validation !== true) {
    const { msg, line, col } = validation.err;
    const at = line + skippedLines;
    const where = col ? `line ${at}, column ${col}` : `line ${at}`;
    return { ok: false, reason: `Invalid XML at ${where}: ${msg}`, line: at, column: col || undefined };
  }

  const parser = options.forceArray?.length ? makeParser(new Set(options.forceArray)) : defaultParser;
  try {
    const value: unknown = parser.parse(xml);
    if (!isElement(value)) return { ok: false, reason: 'The XML document has no root element.' };
    return { ok: true, value };
  } catch (error) {
    // The parser throws for documents it refuses on purpose (external entities, entity bombs, deep nesting).
    const message = error instanceof Error ? error.message : String(error);
    if (/maximum nested tags/i.test(message))
      return { ok: false, reason: `${nestingReason('The XML document')}.`, tooDeep: true };
    return { ok: false, reason: `The XML document was refused: ${message}` };
  }
}

export function isElement(value: unknown): value is XmlElement {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function countNewlines(text: string, end: number): number {
  let count = 0;
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) count++;
  return count;
}
