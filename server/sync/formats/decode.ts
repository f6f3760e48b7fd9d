// Turns a stream of bytes into a stream of text: byte-order mark detection, explicit encodings, and a
// streaming TextDecoder so that a character split across two chunks is decoded once, correctly.

/** `auto` means: the byte-order mark if there is one, otherwise UTF-8. */
export type TextEncodingName = 'auto' | 'utf-8' | 'utf-16le' | 'utf-16be' | 'latin1' | 'windows-1252';

/** Bytes as files and uploads arrive: a Node Readable, a web stream iterator, or an array of chunks. */
export type ByteSource = AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;

type BomEncoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/** The encoding a byte-order mark at the start of `bytes` announces, if any. */
export function detectBom(bytes: Uint8Array): BomEncoding | undefined {
  const [a, b, c] = bytes;
  if (a === 0xef && b === 0xbb && c === 0xbf) return 'utf-8';
  if (a === 0xff && b === 0xfe) return 'utf-16le';
  if (a === 0xfe && b === 0xff) return 'utf-16be';
  return undefined;
}

/** The encoding used for `bytes`: a byte-order mark wins over the setting because it cannot be wrong. */
export function resolveEncoding(bytes: Uint8Array, setting: TextEncodingName = 'auto'): string {
  const bom = detectBom(bytes);
  if (bom) return bom;
  // WHATWG decoders treat latin1 as windows-1252 anyway; name it so reports say what really happened.
  if (setting === 'latin1') return 'windows-1252';
  return setting === 'auto' ? 'utf-8' : setting;
}

/** Decodes a whole small buffer (a preview sample, a response body). The BOM is removed. */
export function decodeBytes(bytes: Uint8Array, setting: TextEncodingName = 'auto'): string {
  return new TextDecoder(resolveEncoding(bytes, setting)).decode(bytes);
}

/**
 * Streams text out of `source`. The first few bytes are held back until the byte-order mark can be
 * judged; after that each chunk is decoded as it arrives, never the whole input at once.
 */
export async function* decodeStream(
  source: ByteSource,
  setting: TextEncodingName = 'auto',
  onEncoding?: (encoding: string) => void,
): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  let head: Uint8Array = new Uint8Array(0);
  for await (const chunk of source) {
    if (typeof chunk === 'string') {
      // Already text (a Readable with setEncoding): nothing to decode, but a leading BOM must still go.
      const text = decoder ? chunk : chunk.replace(/^\uFEFF/, '');
      decoder ??= new TextDecoder('utf-8');
      if (text) yield text;
      continue;
    }
    if (!decoder) {
      head = concat(head, chunk);
      if (head.length < 3) continue;
      const encoding = resolveEncoding(head, setting);
      onEncoding?.(encoding);
      decoder = new TextDecoder(encoding);
      const text = decoder.decode(head, { stream: true });
      if (text) yield text;
      continue;
    }
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  if (!decoder) {
    // The whole input was shorter than a BOM.
    const encoding = resolveEncoding(head, setting);
    onEncoding?.(encoding);
    decoder = new TextDecoder(encoding);
    const text = decoder.decode(head, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** Whether `bytes` are valid UTF-8, ignoring a character cut off at the very end of a sample. */
export function looksLikeUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
    return true;
  } catch {
    return false;
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
