// What the upload screen shows: dialect, encoding, header and first rows from a sample.
import { describe, expect, it } from 'vitest';
import { previewCsv } from '@/server/sync/formats/csv-preview';
import { utf8 } from './collect';

describe('previewCsv', () => {
  it('shows the detected dialect, header and first rows', async () => {
    const sample = utf8('id;name;city\n1;Ann;Delft\n2;Bob;Gouda\n3;Cy;Ede\n');
    const preview = await previewCsv(sample, { complete: true, rows: 2 });
    expect(preview).toEqual({
      ok: true,
      dialect: { delimiter: ';', quote: '"', encoding: 'utf-8' },
      header: ['id', 'name', 'city'],
      rows: [
        { id: '1', name: 'Ann', city: 'Delft' },
        { id: '2', name: 'Bob', city: 'Gouda' },
      ],
      problems: [],
    });
  });

  it('suggests Windows-1252 for bytes that are not UTF-8, and decodes them', async () => {
    const sample = new Uint8Array([...utf8('naam,stad\nRen'), 0xe9, ...utf8(',Li'), 0xe8, ...utf8('ge\n')]);
    const preview = await previewCsv(sample, { complete: true });
    expect(preview.ok && preview.dialect.encoding).toBe('windows-1252');
    expect(preview.ok && preview.rows).toEqual([{ naam: 'René', stad: 'Liège' }]);
  });

  it('names the encoding a byte-order mark announces', async () => {
    const sample = new Uint8Array([0xff, 0xfe, ...Buffer.from('a,b\n1,2\n', 'utf16le')]);
    const preview = await previewCsv(sample, { complete: true });
    expect(preview.ok && preview.dialect.encoding).toBe('utf-16le');
    expect(preview.ok && preview.rows).toEqual([{ a: '1', b: '2' }]);
  });

  it('ignores the cut-off end of a partial sample, even inside a quoted field', async () => {
    const preview = await previewCsv(utf8('id,note\n1,fine\n2,"a long note that the sam'), { rows: 10 });
    expect(preview.ok && preview.rows).toEqual([{ id: '1', note: 'fine' }]);
  });

  it('shows the header of a file that has no rows yet', async () => {
    const preview = await previewCsv('id\tname\n', { complete: true });
    expect(preview.ok && preview.header).toEqual(['id', 'name']);
    expect(preview.ok && preview.dialect.delimiter).toBe('\t');
  });

  it('reports rows with the wrong field count with their line', async () => {
    const preview = await previewCsv('a,b\n1,2\n3\n', { complete: true });
    expect(preview.ok && preview.problems).toEqual([
      { line: 3, reason: 'it has 1 field but the header has 2' },
    ]);
  });

  it('fails an empty sample with a reason', async () => {
    const preview = await previewCsv('', { complete: true });
    expect(preview).toMatchObject({ ok: false, reason: expect.stringMatching(/empty/) as unknown });
  });
});
