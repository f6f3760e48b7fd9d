// XML files as batches of records: by path or found automatically, with encodings and size limits.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readXml } from '@/server/sync/formats/xml-file';
import { chunked, collect, failureOf, recordsOf, utf8 } from './collect';

const catalog = new Uint8Array(readFileSync('test/fixtures/files/catalog.xml'));
const idsOf = (records: Record<string, unknown>[]) =>
  records.map((r) => (r['@attributes'] as Record<string, string> | undefined)?.id);

describe('readXml', () => {
  it('finds the repeated elements under the root on its own', async () => {
    const batches = await collect(readXml(chunked(catalog, 100), { batchSize: 2 }));
    expect(idsOf(recordsOf(batches))).toEqual(['bk101', 'bk102', 'bk103']);
    expect(batches.map((batch) => batch.ok && batch.records.length)).toEqual([2, 1]);
  });

  it('takes records from a configured path, even a single element', async () => {
    const xml = '<feed><meta>m</meta><entries><entry id="e1"><t>one</t></entry></entries></feed>';
    const batches = await collect(readXml([utf8(xml)], { recordsPath: 'feed.entries.entry' }));
    expect(recordsOf(batches)).toEqual([{ '@attributes': { id: 'e1' }, t: 'one' }]);
  });

  it('says what is there when the configured path is missing', async () => {
    const batches = await collect(readXml([catalog], { recordsPath: 'catalog.books' }));
    expect(failureOf(batches)?.reason).toBe(
      'The XML file has no "catalog.books": <catalog> contains book, @attributes.',
    );
  });

  it('wraps text-only records so that every record is an object', async () => {
    const batches = await collect(readXml([utf8('<ids><id>1</id><id>2</id></ids>')]));
    expect(recordsOf(batches)).toEqual([{ '#text': '1' }, { '#text': '2' }]);
  });

  it('honours the encoding in the XML declaration', async () => {
    const bytes = new Uint8Array([
      ...utf8('<?xml version="1.0" encoding="ISO-8859-1"?><r><p>Caf'),
      0xe9,
      ...utf8('</p><p>Li'),
      0xe8,
      ...utf8('ge</p></r>'),
    ]);
    const batches = await collect(readXml([bytes]));
    expect(recordsOf(batches)).toEqual([{ '#text': 'Café' }, { '#text': 'Liège' }]);
  });

  it('reports invalid XML with its line', async () => {
    const batches = await collect(readXml([utf8('<r>\n<a>\n</r>')]));
    expect(failureOf(batches)).toMatchObject({ line: 3 });
  });

  it('refuses a file over the size limit instead of reading it all', async () => {
    const batches = await collect(readXml([catalog], { maxBytes: 100 }));
    expect(failureOf(batches)?.reason).toBe('The file is larger than the 100 bytes this format can read.');
  });
});
