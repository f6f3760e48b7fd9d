// JSON files as batches: an array streamed element by element, JSON Lines, one object; bad records by line.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readJson } from '@/server/sync/formats/json-file';
import { chunked, collect, failureOf, problemsOf, recordsOf, utf8 } from './collect';

const fixture = (name: string) => new Uint8Array(readFileSync(`test/fixtures/files/${name}`));

describe('readJson', () => {
  it('reads an array of objects, fed a few bytes at a time', async () => {
    const batches = await collect(readJson(chunked(fixture('items.json'), 4), { batchSize: 2 }));
    expect(recordsOf(batches)).toEqual([
      { id: 1, name: 'Kettle', tags: ['kitchen', 'electric'] },
      { id: 2, name: 'Toaster', tags: [] },
      { id: 3, name: 'Mug "Large" ]', tags: ['kitchen'] },
    ]);
    expect(batches.every((batch) => batch.ok && batch.records.length <= 2)).toBe(true);
  });

  it('reads JSON Lines, skipping blank lines', async () => {
    const batches = await collect(readJson(chunked(fixture('items.jsonl'), 7)));
    expect(recordsOf(batches).map((r) => r.id)).toEqual([1, 2, 3]);
  });

  it('reads a single object as one record', async () => {
    const batches = await collect(readJson([utf8('{"data": [1, 2], "id": "x"}')]));
    expect(recordsOf(batches)).toEqual([{ data: [1, 2], id: 'x' }]);
  });

  it('reports a broken line of JSON Lines by its line and goes on', async () => {
    const text = '{"id": 1}\n{"id": 2,, }\n"just text"\n{"id": 4}\n';
    const batches = await collect(readJson([utf8(text)]));
    expect(recordsOf(batches).map((r) => r.id)).toEqual([1, 4]);
    const problems = problemsOf(batches);
    expect(problems[0]).toMatch(/^Record 2 \(line 2\) is not valid JSON/);
    expect(problems[1]).toBe('Record 3 (line 3) is string, not an object with fields.');
  });

  it('ends with a failure when the array is cut short, after the records it could read', async () => {
    const batches = await collect(readJson([utf8('[\n{"id": 1},\n{"id": 2},\n{"id": ')]));
    expect(recordsOf(batches).map((r) => r.id)).toEqual([1, 2]);
    expect(failureOf(batches)).toEqual({
      ok: false,
      reason: 'The file ends inside the record that starts on line 4.',
      line: 4,
    });
  });

  it('fails on a missing comma between array elements, naming the line', async () => {
    const batches = await collect(readJson([utf8('[{"id": 1}\n{"id": 2}]')]));
    expect(failureOf(batches)?.reason).toBe('Expected a comma or ] on line 2, found "{".');
  });

  it('fails an empty file and an array that never closes', async () => {
    expect(failureOf(await collect(readJson([utf8('  \n')])))?.reason).toBe('The JSON file is empty.');
    expect(failureOf(await collect(readJson([utf8('[{"id": 1}')])))?.reason).toMatch(/closing \]/);
  });

  it('reads an empty array as no records, without failing', async () => {
    expect(await collect(readJson([utf8('[ ]')]))).toEqual([]);
  });

  it('streams: the first batch arrives long before a large array is fully produced', async () => {
    const total = 50_000;
    let produced = 0;
    function* generated(): Generator<Uint8Array> {
      yield utf8('[');
      for (let i = 0; i < total; i++) {
        produced++;
        yield utf8(`${i ? ',' : ''}{"id":${i},"name":"item ${i}"}`);
      }
      yield utf8(']');
    }
    let producedAtFirst = -1;
    let count = 0;
    for await (const batch of readJson(generated(), { batchSize: 500 })) {
      if (producedAtFirst < 0) producedAtFirst = produced;
      count += batch.ok ? batch.records.length : 0;
    }
    expect(count).toBe(total);
    expect(producedAtFirst).toBeLessThan(1000);
  });
});
