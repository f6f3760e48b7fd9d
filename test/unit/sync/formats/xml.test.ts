// XML → JSON as mappings will see it: attributes, text beside attributes, lists, strings kept as written.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseXml } from '@/server/sync/formats/xml';

const catalog = readFileSync('test/fixtures/files/catalog.xml', 'utf8');

describe('parseXml', () => {
  it('puts attributes under @attributes and text beside them under #text', () => {
    const result = parseXml('<price currency="EUR" vat="21">44.95</price>');
    expect(result).toEqual({
      ok: true,
      value: { price: { '@attributes': { currency: 'EUR', vat: '21' }, '#text': '44.95' } },
    });
  });

  it('turns repeated elements into lists and keeps single ones as values', () => {
    const result = parseXml(catalog);
    if (!result.ok) throw new Error(result.reason);
    const books = (result.value.catalog as { book: Array<Record<string, unknown>> }).book;
    expect(books).toHaveLength(3);
    expect(books[1]?.author).toEqual(['Ralls, Kim', 'Corets, Eva']);
    expect(books[0]?.author).toBe('Gambardella, Matthew');
  });

  it('keeps numbers, leading zeros and booleans as the strings they were', () => {
    const result = parseXml(catalog);
    if (!result.ok) throw new Error(result.reason);
    const [first] = (result.value.catalog as { book: Array<Record<string, unknown>> }).book;
    expect(first).toMatchObject({
      '@attributes': { id: 'bk101', available: 'true' },
      isbn: '0070',
      price: { '@attributes': { currency: 'EUR' }, '#text': '44.95' },
    });
  });

  it('keeps namespace prefixes on elements and namespace declarations as attributes', () => {
    const result = parseXml(catalog);
    if (!result.ok) throw new Error(result.reason);
    const root = result.value.catalog as Record<string, unknown>;
    expect(root['@attributes']).toEqual({
      'xmlns:dc': 'http://purl.org/dc/elements/1.1/',
      updated: '2024-05-01',
    });
    expect((root.book as Array<Record<string, unknown>>)[0]?.['dc:title']).toBe("XML Developer's Guide");
  });

  it('decodes predefined, numeric and internal entities and CDATA', () => {
    const xml =
      '<!DOCTYPE a [<!ENTITY co "Concord">]><a><b>&lt;&amp;&gt; &#169; &#x263A; &co;</b><c><![CDATA[<raw>]]></c></a>';
    expect(parseXml(xml)).toEqual({ ok: true, value: { a: { b: '<&> © ☺ Concord', c: '<raw>' } } });
  });

  it('makes an empty element an empty string', () => {
    expect(parseXml('<a><b/><c></c></a>')).toEqual({ ok: true, value: { a: { b: '', c: '' } } });
  });

  it('forces lists at named paths, so one element looks like many', () => {
    const xml = '<items><item id="1">x</item><meta><item>not forced</item></meta></items>';
    const result = parseXml(xml, { forceArray: ['items.item'] });
    expect(result).toEqual({
      ok: true,
      value: {
        items: { item: [{ '@attributes': { id: '1' }, '#text': 'x' }], meta: { item: 'not forced' } },
      },
    });
  });

  it('accepts a byte-order mark and blank lines before the declaration', () => {
    expect(parseXml('\uFEFF\n\n<?xml version="1.0"?><a>1</a>')).toEqual({ ok: true, value: { a: '1' } });
  });

  it('reports invalid XML with its line and column', () => {
    const result = parseXml('<a>\n  <b>text</c>\n</a>');
    expect(result).toMatchObject({ ok: false, line: 2 });
    expect(!result.ok && result.reason).toMatch(/^Invalid XML at line 2, column \d+: /);
  });

  it('counts skipped leading lines in the reported line number', () => {
    expect(parseXml('\n\n<a><b></a>')).toMatchObject({ ok: false, line: 3 });
  });

  it('refuses external entities instead of reading files', () => {
    const xml = '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>';
    const result = parseXml(xml);
    expect(result.ok).toBe(false);
    expect(JSON.stringify(result)).not.toContain('root:');
  });

  it('does not expand nested entities into a bomb', () => {
    const xml =
      '<!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">' +
      '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]><x>&c;</x>';
    const result = parseXml(xml);
    expect(JSON.stringify(result).length).toBeLessThan(200);
  });

  it('fails an empty document and text that is not XML', () => {
    expect(parseXml('  ')).toEqual({ ok: false, reason: 'The XML document is empty.' });
    expect(parseXml('{"json": true}').ok).toBe(false);
  });
});
