// The streaming CSV reader: dialects, encodings, line numbers in errors, and bounded memory.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readCsv } from '@/server/sync/formats/csv';
import { detectDialect } from '@/server/sync/formats/csv-dialect';
import { chunked, collect, failureOf, problemsOf, recordsOf, utf8 } from './collect';

describe('detectDialect', () => {
  it.each([
    [',', 'id,name,city\n1,Ann,Delft\n2,Bob,Gouda\n'],
    [';', 'id;name;price\n1;Ann;3,50\n2;Bob;4,25\n'],
    ['\t', 'id\tname\tnote\n1\tAnn\ta, b\n2\tBob\tc; d\n'],
    ['|', 'id|name|tags\n1|Ann|x,y\n2|Bob|z;w\n'],
  ])('finds %j', (delimiter, sample) => {
    expect(detectDialect(sample, true)).toEqual({ delimiter, quote: '"' });
  });

  it('is not fooled by delimiters inside quoted fields', () => {
    const sample = 'id;comment\n1;"one, two, three"\n2;"four, five"\n';
    expect(detectDialect(sample, true).delimiter).toBe(';');
  });

  it('detects single-quote quoting when it explains the columns better', () => {
    const sample = "id,name\n1,'Smith, J.'\n2,'Doe, A.'\n";
    expect(detectDialect(sample, true)).toEqual({ delimiter: ',', quote: "'" });
  });

  it('keeps the double quote for apostrophes in ordinary text', () => {
    expect(detectDialect("id,name\n1,O'Brien\n2,D'Arcy\n", true).quote).toBe('"');
  });

  it('ignores a cut-off last line when the sample is not the whole file', () => {
    expect(detectDialect('a;b;c\n1;2;3\n4;5', false).delimiter).toBe(';');
  });
});

describe('readCsv', () => {
  it('reads a semicolon file it was not told about', async () => {
    const batches = await collect(readCsv([utf8('id;name\n1;Ann\n2;Bob\n')]));
    expect(recordsOf(batches)).toEqual([
      { id: '1', name: 'Ann' },
      { id: '2', name: 'Bob' },
    ]);
  });

  it('uses a delimiter that is set, even when the sample suggests another', async () => {
    const batches = await collect(readCsv([utf8('a;b,c\n1;2,3\n')], { delimiter: ',' }));
    expect(recordsOf(batches)).toEqual([{ 'a;b': '1;2', c: '3' }]);
  });

  it('strips a UTF-8 byte-order mark from the first header', async () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...utf8('id,naam\n1,Zoë\n')]);
    const batches = await collect(readCsv(chunked(bytes, 1)));
    expect(recordsOf(batches)).toEqual([{ id: '1', naam: 'Zoë' }]);
  });

  it.each([
    ['utf-16le', [0xff, 0xfe], (text: string) => Buffer.from(text, 'utf16le')],
    ['utf-16be', [0xfe, 0xff], (text: string) => Buffer.from(text, 'utf16le').swap16()],
  ])('reads %s by its byte-order mark', async (_name, bom, encode) => {
    const bytes = new Uint8Array([...bom, ...encode('id,naam\n1,Zoë ʤ\n')]);
    const batches = await collect(readCsv(chunked(bytes, 5)));
    expect(recordsOf(batches)).toEqual([{ id: '1', naam: 'Zoë ʤ' }]);
  });

  it('reads Windows-1252 when told so (é is one byte, € is 0x80)', async () => {
    const bytes = new Uint8Array([...utf8('id;prijs;naam\n1;'), 0x80, ...utf8('5;caf'), 0xe9, 0x0a]);
    for (const encoding of ['windows-1252', 'latin1'] as const) {
      const batches = await collect(readCsv([bytes], { encoding }));
      expect(recordsOf(batches)).toEqual([{ id: '1', prijs: '€5', naam: 'café' }]);
    }
  });

  it('reports a row with the wrong number of fields by line, and keeps the others with their lines', async () => {
    const text = 'id,name,city\n1,Ann,Delft\n\n2,Bob\n3,"Cy\nde",Ede\n4,Dee,Ede,extra\n5,Eve,Oss\n';
    const batches = await collect(readCsv([utf8(text)]));
    expect(recordsOf(batches).map((r) => r.id)).toEqual(['1', '3', '5']);
    // Each problem says how many of its batch's records come before it: a reader pages them by it.
    expect(batches.flatMap((b) => (b.ok ? b.problems : []))).toEqual([
      { line: 4, reason: 'it has 2 fields but the header has 3', before: 1 },
      { line: 7, reason: 'it has 4 fields but the header has 3', before: 2 },
    ]);
    // The file line each record starts on (a quoted line break spans two).
    expect(batches.flatMap((b) => (b.ok ? (b.lines ?? []) : []))).toEqual([2, 5, 8]);
    expect(failureOf(batches)).toBeUndefined();
  });

  it('counts lines right in a CRLF file with a quoted line break', async () => {
    const text = 'a,b\r\n1,"x\r\ny"\r\n\r\n2\r\n3,4\r\n';
    const batches = await collect(readCsv([utf8(text)]));
    expect(batches.flatMap((b) => (b.ok ? b.problems.map((p) => p.line) : []))).toEqual([5]);
    expect(problemsOf(batches)).toEqual(['it has 1 field but the header has 2']);
    expect(recordsOf(batches)).toEqual([
      { a: '1', b: 'x\r\ny' },
      { a: '3', b: '4' },
    ]);
  });

  it('ends with a failure naming the line of a quote that is never closed, after the good rows', async () => {
    const text = 'id,name\n1,Ann\n2,Bob\n3,"Cy\n4,Dee\n';
    const batches = await collect(readCsv([utf8(text)]));
    expect(recordsOf(batches)).toEqual([
      { id: '1', name: 'Ann' },
      { id: '2', name: 'Bob' },
    ]);
    const failure = failureOf(batches);
    expect(failure?.line).toBe(4);
    expect(failure?.reason).toMatch(/starts on line 4 is never closed/);
    expect(batches.at(-1)?.ok).toBe(false);
  });

  it('refuses a runaway record instead of buffering the rest of the file', async () => {
    const text = 'id,name\n1,"open\n' + '2,x\n'.repeat(100);
    const batches = await collect(readCsv([utf8(text)], { maxRecordChars: 100 }));
    expect(failureOf(batches)?.reason).toMatch(/record starting on line 2 is too long/);
  });

  it('names empty and repeated header cells so no column overwrites another', async () => {
    const batches = await collect(readCsv([utf8('id, name ,,name\n1,a,b,c\n')]));
    expect(recordsOf(batches)).toEqual([{ id: '1', name: 'a', column_3: 'b', name_2: 'c' }]);
  });

  it('does not let a header named __proto__ reach the prototype', async () => {
    const [record] = recordsOf(await collect(readCsv([utf8('__proto__,id\n{"x":1},1\n')])));
    expect(Object.getPrototypeOf(record)).toBe(Object.prototype);
    expect(Object.keys(record ?? {})).toEqual(['__proto__', 'id']);
  });

  it('fails an empty file (so that a sync deletes nothing) but accepts a header-only file', async () => {
    expect(failureOf(await collect(readCsv([utf8('')])))?.reason).toMatch(/empty/);
    expect(await collect(readCsv([utf8('id,name\n')]))).toEqual([]);
  });

  it('turns a failing source into a failure value, never into a truncated row', async () => {
    function* broken(): Generator<Uint8Array> {
      yield utf8('id,name\n1,Ann\n2,Bo');
      throw new Error('upload interrupted');
    }
    const batches = await collect(readCsv(broken()));
    expect(recordsOf(batches)).not.toContainEqual({ id: '2', name: 'Bo' });
    expect(batches.at(-1)).toEqual({ ok: false, reason: 'Reading the file failed: upload interrupted' });
  });
});

describe('readCsv on a large input', () => {
  it('yields batches while the input is still being produced, reading only a little ahead', async () => {
    const totalRows = 200_000;
    const rowsPerChunk = 500;
    let producedRows = 0;
    // A lazy generator: each chunk is produced only when the reader asks for it.
    function* generated(): Generator<Uint8Array> {
      yield utf8('id,name,amount\n');
      for (let start = 0; start < totalRows; start += rowsPerChunk) {
        let text = '';
        for (let i = start; i < start + rowsPerChunk; i++) text += `${i},name ${i},${i % 97}.50\n`;
        producedRows += rowsPerChunk;
        yield utf8(text);
      }
    }

    let consumedRows = 0;
    let maxAhead = 0;
    let producedAtFirstBatch = -1;
    for await (const batch of readCsv(generated(), { batchSize: 1000 })) {
      if (!batch.ok) throw new Error(batch.reason);
      if (producedAtFirstBatch < 0) producedAtFirstBatch = producedRows;
      expect(batch.records[0]?.id).toBe(String(consumedRows));
      consumedRows += batch.records.length;
      maxAhead = Math.max(maxAhead, producedRows - consumedRows);
    }

    expect(consumedRows).toBe(totalRows);
    expect(producedAtFirstBatch).toBeLessThan(totalRows / 10);
    // What is held at any time: the dialect sample plus stream buffers, not the file.
    expect(maxAhead).toBeLessThan(totalRows / 10);
  });
});

describe('readCsv on the fixture files', () => {
  const fixture = (name: string) => new Uint8Array(readFileSync(`test/fixtures/files/${name}`));

  it('reads products.csv with its quoted comma, quotes and line break', async () => {
    const records = recordsOf(await collect(readCsv([fixture('products.csv')])));
    expect(records.map((r) => r.name)).toEqual([
      'Kettle',
      'Toaster, 2 slots',
      'Mug "Large"',
      'Tea towel\n(two lines)',
    ]);
  });

  it('reads an Excel-style Windows-1252 semicolon file when the encoding is set', async () => {
    const batches = await collect(
      readCsv([fixture('products-windows-1252.csv')], { encoding: 'windows-1252' }),
    );
    expect(recordsOf(batches)).toEqual([
      { id: 'p1', naam: 'Café crème', prijs: '€5,00' },
      { id: 'p2', naam: 'Crème brûlée', prijs: '€6,50' },
    ]);
  });
});
