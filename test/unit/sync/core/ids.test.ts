// Vitest's asymmetric matchers (expect.any, expect.stringContaining) are typed `any`.

import { describe, expect, it } from 'vitest';
import {
  countUnidentified,
  identifyObjects,
  markRepeats,
  normaliseId,
  readOriginId,
} from '@/server/sync/core/ids';

describe('normaliseId', () => {
  it('keeps strings and turns numbers into decimal text', () => {
    expect(normaliseId('abc')).toEqual({ ok: true, id: 'abc' });
    expect(normaliseId(42)).toEqual({ ok: true, id: '42' });
    expect(normaliseId(10n)).toEqual({ ok: true, id: '10' });
  });

  it('takes the text of an XML element that has attributes', () => {
    expect(normaliseId({ '@attributes': { type: 'uuid' }, '#text': 'u-1' })).toEqual({ ok: true, id: 'u-1' });
  });

  it.each([[''], ['  '], [null], [true], [{}], [[1]], [Number.NaN]])('refuses %j with a reason', (value) => {
    expect(normaliseId(value)).toMatchObject({ ok: false, reason: expect.any(String) });
  });
});

describe('ids the database cannot keep intact', () => {
  it('refuses a NUL character and a lone surrogate, and keeps emoji (surrogate pairs)', () => {
    expect(normaliseId('a\u0000b')).toMatchObject({ ok: false, reason: expect.stringMatching(/NUL/) });
    expect(normaliseId('a\ud800b')).toMatchObject({ ok: false, reason: expect.stringMatching(/surrogate/) });
    expect(normaliseId('\udc00')).toMatchObject({ ok: false });
    expect(normaliseId('ok 🙂 東京')).toEqual({ ok: true, id: 'ok 🙂 東京' });
  });

  it('comes from JSON a source may send', () => {
    const [bad, good] = identifyObjects(JSON.parse('[{"id":"x\\ud800"},{"id":"y"}]') as unknown[]);
    expect(bad).toMatchObject({ ok: false, originId: null });
    expect(good).toMatchObject({ ok: true, originId: 'y' });
  });
});

describe('readOriginId', () => {
  it('reads by dot path, including XML attributes', () => {
    expect(readOriginId({ '@attributes': { id: 'bk1' } }, '@attributes.id')).toEqual({ ok: true, id: 'bk1' });
    expect(readOriginId({ meta: { uuid: 'x' } }, 'meta.uuid')).toEqual({ ok: true, id: 'x' });
  });

  it('says which field is missing', () => {
    expect(readOriginId({ name: 'a' }, 'uuid')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('"uuid"'),
    });
  });
});

describe('identifyObjects', () => {
  it('marks an object without id invalid while the others keep their ids', () => {
    const items = identifyObjects([{ id: 1 }, { name: 'no id' }, { id: 'b' }], 'id');
    expect(items.map((i) => (i.ok ? i.originId : `invalid: ${i.reason}`))).toEqual([
      '1',
      expect.stringMatching(/^invalid: The object at position 2 has no usable id/),
      'b',
    ]);
  });

  it('names the page and position of an object without id, never a number that reads like an id', () => {
    const objects = Array.from({ length: 500 }, (_, i) => ({ id: i + 1 }));
    objects[499] = { name: 'no id' } as never;
    const item = identifyObjects(objects, 'id', undefined, 10)[499];
    expect(item).toMatchObject({
      ok: false,
      originId: null,
      reason:
        'The object at position 500 on page 10 has no usable id: it has no "id" field (the id field of the synchronisation)',
    });
  });

  it('counts the objects whose id could not be read, not the repeats', () => {
    const items = identifyObjects([{ id: 1 }, { name: 'x' }, { id: 1 }, 'text', { id: null }]);
    expect(countUnidentified(items)).toBe(3);
  });

  it('marks a repeated id within the page invalid; the first occurrence wins', () => {
    const items = identifyObjects([
      { id: 1, v: 'first' },
      { id: '1', v: 'second' },
    ]);
    expect(items[0]).toMatchObject({ ok: true, originId: '1', object: { v: 'first' } });
    expect(items[1]).toMatchObject({
      ok: false,
      originId: '1',
      duplicate: true,
      reason: expect.stringContaining('Duplicate'),
    });
  });

  it('marks non-objects invalid', () => {
    expect(identifyObjects(['just text'])[0]).toMatchObject({
      ok: false,
      reason: expect.stringContaining('not an object'),
    });
  });

  it('markRepeats flags ids that an earlier page listed', () => {
    const items = markRepeats(identifyObjects([{ id: 'a' }, { id: 'b' }]), new Set(['b']));
    expect(items.map((i) => i.ok)).toEqual([true, false]);
    expect(items[1]).toMatchObject({ duplicate: true });
  });
});
