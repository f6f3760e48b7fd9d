// Reads an XML file as batches of records. fast-xml-parser has no streaming mode, so the file is read
// whole, up to a size limit; the records are the repeated elements at a path (or found automatically).
import { detectBom, resolveEncoding, type ByteSource, type TextEncodingName } from './decode';
import { DEFAULT_BATCH_SIZE, readAllBytes, type FileBatch } from './file-batch';
import { isElement, parseXml, TEXT_KEY, type XmlElement, type XmlNode, type XmlOptions } from './xml';

export interface XmlFileOptions extends XmlOptions {
  /** Dot path of the record elements from the root, e.g. `catalog.book`. Found automatically when absent. */
  recordsPath?: string;
  batchSize?: number;
  encoding?: TextEncodingName;
  maxBytes?: number;
}

const DEFAULT_MAX_BYTES = 64 * 1024 * 1024;

export async function* readXml(source: ByteSource, options: XmlFileOptions = {}): AsyncGenerator<FileBatch> {
  const read = await readAllBytes(source, options.maxBytes ?? DEFAULT_MAX_BYTES);
  if (!read.ok) {
    yield read;
    return;
  }
  const parsed = parseXml(decodeXml(read.bytes, options.encoding), options);
  if (!parsed.ok) {
    yield { ok: false, reason: parsed.reason, line: parsed.line };
    return;
  }
  const found = options.recordsPath ? atPath(parsed.value, options.recordsPath) : autoDetect(parsed.value);
  if (!found.ok) {
    yield found;
    return;
  }
  const batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  for (let i = 0; i < found.records.length; i += batchSize) {
    yield { ok: true, records: found.records.slice(i, i + batchSize), problems: [] };
  }
}

type Found = { ok: true; records: XmlElement[] } | { ok: false; reason: string };

function atPath(root: XmlElement, path: string): Found {
  let node: XmlNode | undefined = root;
  const walked: string[] = [];
  for (const key of path.split('.')) {
    if (!isElement(node) || node[key] === undefined) {
      const children = isElement(node) ? Object.keys(node).join(', ') || 'nothing' : 'no elements';
      const where = walked.length ? `<${walked.join('.')}>` : 'the document';
      return { ok: false, reason: `The XML file has no "${path}": ${where} contains ${children}.` };
    }
    node = node[key];
    walked.push(key);
  }
  return { ok: true, records: asRecords(node) };
}

// <items><item/><item/></items>: the records are the first repeated child of the root element, or its
// only child element when there is just one.
function autoDetect(document: XmlElement): Found {
  const [rootName, root] = Object.entries(document)[0] ?? [];
  if (!rootName || !isElement(root)) return { ok: true, records: [] };
  const children = Object.entries(root).filter(([name]) => !name.startsWith('@') && name !== TEXT_KEY);
  const repeated = children.find(([, value]) => Array.isArray(value));
  if (repeated) return { ok: true, records: asRecords(repeated[1] as XmlNode) };
  if (children.length === 1 && children[0])
    return { ok: true, records: asRecords(children[0][1] as XmlNode) };
  return { ok: true, records: [root] };
}

// A text-only element becomes `{ "#text": … }` so that every record is an object a mapping can address.
function asRecords(node: XmlNode): XmlElement[] {
  const list = Array.isArray(node) ? node : [node];
  return list.map((item) => (isElement(item) ? item : { [TEXT_KEY]: typeof item === 'string' ? item : '' }));
}

// A BOM decides; else the encoding named in `<?xml … encoding="…"?>`; else the setting (UTF-8 by default).
function decodeXml(bytes: Uint8Array, setting: TextEncodingName = 'auto'): string {
  let encoding = resolveEncoding(bytes, setting);
  if (!detectBom(bytes) && setting === 'auto') {
    const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
    const declared = /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head)?.[1];
    if (declared && isKnownEncoding(declared)) encoding = declared;
  }
  return new TextDecoder(encoding).decode(bytes);
}

function isKnownEncoding(label: string): boolean {
  try {
    new TextDecoder(label);
    return true;
  } catch {
    return false;
  }
}
