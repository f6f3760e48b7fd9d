// Vitest's asymmetric matchers (expect.any, expect.stringContaining) are typed `any`.

import { describe, expect, it } from 'vitest';
import { hashObject } from '@/server/sync/core/canonical-json';
import { decidePage } from '@/server/sync/core/one-way';
import {
  extractSubObjects,
  subObjectOriginId,
  subObjectPath,
  underNewParent,
} from '@/server/sync/core/sub-objects';
import { contract, NO_SETTINGS, TIMES } from './helpers/factories';

const order = {
  id: 'o-1',
  lines: [
    { sku: 'A', qty: 1 },
    { sku: 'B', qty: 2 },
  ],
  customer: { address: { id: 'home', city: 'Utrecht' } },
};

describe('extractSubObjects', () => {
  it('gives each child an origin id of parent, path and child id', () => {
    const items = extractSubObjects(order, 'o-1', { path: 'lines', idField: 'sku' });
    expect(items).toEqual([
      { ok: true, index: 0, originId: 'o-1/lines/A', object: order.lines[0], parentOriginId: 'o-1' },
      { ok: true, index: 1, originId: 'o-1/lines/B', object: order.lines[1], parentOriginId: 'o-1' },
    ]);
  });

  it('gives the same ids on the next run, whatever the order of the children', () => {
    const reordered = { ...order, lines: [...order.lines].reverse() };
    const ids = (parent: typeof order) =>
      extractSubObjects(parent, 'o-1', { path: 'lines', idField: 'sku' })
        .map((i) => i.originId)
        .sort();
    expect(ids(reordered)).toEqual(ids(order));
  });

  it('treats a single nested object as a list of one', () => {
    expect(extractSubObjects(order, 'o-1', { path: 'customer.address' })).toMatchObject([
      { ok: true, originId: 'o-1/customer.address/home' },
    ]);
  });

  it('returns no children when the path is missing', () => {
    expect(extractSubObjects(order, 'o-1', { path: 'payments' })).toEqual([]);
  });

  it('marks children without an id or with a repeated id invalid with a reason', () => {
    const items = extractSubObjects({ lines: [{ sku: 'A' }, { qty: 3 }, { sku: 'A' }] }, 'o-2', {
      path: 'lines',
      idField: 'sku',
    });
    expect(items.map((i) => i.ok)).toEqual([true, false, false]);
    expect(items[1]).toMatchObject({ reason: expect.stringContaining('lines[1] of "o-2" has no usable id') });
    expect(items[2]).toMatchObject({ duplicate: true });
  });

  it('keeps ids with slashes apart', () => {
    expect(subObjectOriginId('a/b', 'x', 'c')).not.toBe(subObjectOriginId('a', 'x', 'b/c'));
  });

  it('finds existing sub-object contracts instead of creating duplicates', () => {
    const items = extractSubObjects(order, 'o-1', { path: 'lines', idField: 'sku' });
    const existing = contract({
      originId: 'o-1/lines/A',
      originHash: hashObject(order.lines[0]),
      parentOriginId: 'o-1',
    });
    const decisions = decidePage(items, new Map([[existing.originId, existing]]), {
      settings: NO_SETTINGS,
      mode: { force: false, test: false },
      configChangedAt: TIMES.configChangedAt,
      mappingChangedAt: null,
      checkedAt: TIMES.thisRun,
    });
    expect(decisions.map((d) => d.action)).toEqual(['skip', 'create']);
    expect(decisions[1]).toMatchObject({ parentOriginId: 'o-1' });
  });
});

describe('a sub-object re-keyed with its parent (a new id field)', () => {
  it('moves under the new parent id, slashes in either escaped as the engine makes them', () => {
    const old = subObjectOriginId('a/b', 'order.lines', 'x/1');
    expect(underNewParent(old, 'a/b', 'c/d')).toBe(subObjectOriginId('c/d', 'order.lines', 'x/1'));
    // `a` + `b/order.lines/…` is not a sub-object of `a/b`'s.
    expect(underNewParent(old, 'a', 'z')).toBeNull();
  });

  it('finds the path it was found at, the longest that fits', () => {
    const id = subObjectOriginId('o/1', 'lines.extra', '7');
    expect(subObjectPath(id, 'o/1', ['lines', 'lines.extra', 'notes'])).toBe('lines.extra');
    expect(subObjectPath(id, 'o/1', ['notes'])).toBeNull();
    expect(subObjectPath(id, 'o', ['lines.extra'])).toBeNull();
  });
});
