// Packing source objects into rows of copies (server/sync/stores/source-copies.ts): where each object
// goes, how rows close, and that unpacking gives back exactly what was packed.
import { describe, expect, it } from 'vitest';
import { packSourceCopies, unpackSourceCopies } from '@/server/sync/stores/source-copies';

/** Every object back from its place, as the contract store and withOriginData find it. */
function unpacked(packed: ReturnType<typeof packSourceCopies>): unknown[] {
  const rows = packed.rows.map((row) => unpackSourceCopies(row.data));
  return packed.places.map(({ back, at }) => rows[rows.length - 1 - back]![at]);
}

describe('packSourceCopies', () => {
  it('packs nothing into no rows', () => {
    expect(packSourceCopies([])).toEqual({ rows: [], places: [] });
  });

  it('puts a small page in one row, in order, and gives every kind of JSON back as it was', () => {
    const objects = [
      { id: 1, name: 'Zoë Ångström', city: '東京', mood: '🙂' },
      [1, 'two', null, { three: 3 }],
      'text',
      0.1,
      -12.5e-10,
      9007199254740991,
      false,
      null,
      {},
      { 'key with "quotes"': 'value\\with\nescapes\t' },
    ];
    const packed = packSourceCopies(objects);
    expect(packed.rows).toHaveLength(1);
    expect(packed.rows[0]!.objects).toBe(objects.length);
    expect(packed.places).toEqual(objects.map((_, at) => ({ back: 0, at })));
    expect(unpacked(packed)).toEqual(objects);
  });

  it('closes a row once its JSON reaches 128 KiB, and counts places back from the last row', () => {
    // 100 objects of about 4 KiB: rows of 32 (the 32nd takes a row past 128 KiB), 32, 32 and 4.
    const objects = Array.from({ length: 100 }, (_, i) => ({ i, text: 'x'.repeat(4_090) }));
    const packed = packSourceCopies(objects);
    expect(packed.rows.map((r) => r.objects)).toEqual([32, 32, 32, 4]);
    expect(packed.places[0]).toEqual({ back: 3, at: 0 });
    expect(packed.places[31]).toEqual({ back: 3, at: 31 });
    expect(packed.places[32]).toEqual({ back: 2, at: 0 });
    expect(packed.places[99]).toEqual({ back: 0, at: 3 });
    expect(unpacked(packed)).toEqual(objects);
    // Deflated together, a page of similar objects is a fraction of its text.
    const bytes = packed.rows.reduce((n, r) => n + r.data.length, 0);
    expect(bytes).toBeLessThan(JSON.stringify(objects).length / 20);
  });
});
