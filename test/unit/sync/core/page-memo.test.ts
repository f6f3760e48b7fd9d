// The pure half of page memos (core/page-memo.ts) and the REST answer's digest: which runs may use a
// memo at all, what tells two pages apart, and which decided pages have a hash for every object.
import { describe, expect, it } from 'vitest';
import { hashObject } from '@/server/sync/core/canonical-json';
import { identifyObjects } from '@/server/sync/core/ids';
import { decidePage } from '@/server/sync/core/one-way';
import { checkableIds, decidedHashes, memoKey, pageDigest } from '@/server/sync/core/page-memo';
import { answerDigest, type Answer } from '@/server/sync/sources/answer-digest';
import { contract, NO_SETTINGS, runContext } from './helpers/factories';

const window = { kind: 'full' } as never;

describe('memoKey', () => {
  it('is the same for runs that hash and filter alike, and differs when the conditions or the id do', () => {
    const key = memoKey(runContext(), null);
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    expect(memoKey(runContext({ runId: 'run_2' }), null)).toBe(key);
    const filtering = { ...NO_SETTINGS, conditions: { '==': [{ var: 'active' }, true] } };
    expect(memoKey(runContext({ settings: filtering }), null)).not.toBe(key);
    expect(memoKey(runContext({ idField: 'code' }), null)).not.toBe(key);
  });

  it('is none for a dry or forced run, hashes over some fields, sub-objects or a tracked listing', () => {
    expect(memoKey(runContext({ mode: { test: true, force: false } }), null)).toBeNull();
    expect(memoKey(runContext({ mode: { test: false, force: true } }), null)).toBeNull();
    expect(memoKey(runContext({ settings: { ...NO_SETTINGS, hashFields: ['name'] } }), null)).toBeNull();
    const subObjects = [{ path: 'lines', idField: 'id' }] as never;
    expect(memoKey(runContext({ subObjects }), null)).toBeNull();
    expect(memoKey(runContext(), { field: 'updated', window })).toBeNull();
  });
});

describe('pageDigest', () => {
  const page = [
    { id: 1, name: 'A' },
    { id: 2, tags: ['x'] },
  ];

  it("takes the source's digest when it has one, else the objects' JSON, each kind under its prefix", () => {
    expect(pageDigest(page, { of: page, value: () => 'abc' })).toBe('s:abc');
    expect(pageDigest(page)).toMatch(/^o:[0-9a-f]{64}$/);
    expect(pageDigest(structuredClone(page))).toBe(pageDigest(page));
  });

  it("takes the source's digest only for the very objects it came with, not for a filtered copy", () => {
    const kept = page.filter((o) => o.id === 1);
    expect(pageDigest(kept, { of: page, value: () => 'abc' })).toBe(pageDigest(kept));
    expect(pageDigest(kept)).toMatch(/^o:/);
  });

  it('tells apart pages that differ in a value, an order or a key order', () => {
    const digest = pageDigest(page);
    expect(pageDigest([{ id: 1, name: 'B' }, page[1]])).not.toBe(digest);
    expect(pageDigest([page[1], page[0]])).not.toBe(digest);
    expect(pageDigest([{ name: 'A', id: 1 }, page[1]])).not.toBe(digest);
  });

  it('is none for objects JSON cannot hold', () => {
    expect(pageDigest([{ id: 1, n: 10n }])).toBeNull();
  });
});

describe('answerDigest', () => {
  const answer: Answer = {
    bytes: Buffer.from('[{"id":1}]'),
    contentType: 'application/json',
    format: 'json',
    requestedUrl: 'https://api.example.test/items?page=1',
    answeredUrl: 'https://api.example.test/items?page=1',
    settings: [{ kind: 'link-header' }, null],
  };

  it('changes with the text and with everything it was read by', () => {
    const digest = answerDigest(answer);
    expect(answerDigest({ ...answer })).toBe(digest);
    for (const change of [
      { bytes: Buffer.from('[{"id":2}]') },
      { bytes: Buffer.from('[{"id":1}] ') },
      { bytes: Buffer.from('[{"id":"é"}]', 'latin1') },
      { contentType: 'application/xml' },
      { format: 'xml' },
      { answeredUrl: 'https://api.example.test/v2/items?page=1' },
      { requestedUrl: 'https://api.example.test/items?page=2' },
      { settings: [{ kind: 'offset' }, null] },
    ])
      expect(answerDigest({ ...answer, ...change }), JSON.stringify(change)).not.toBe(digest);
  });
});

describe('checkableIds', () => {
  it("lists a page's ids in order, or none when one is missing or repeats", () => {
    expect(checkableIds(identifyObjects([{ id: 2 }, { id: 'a' }], 'id'))).toEqual(['2', 'a']);
    expect(checkableIds(identifyObjects([{ id: 2 }, { name: 'no id' }], 'id'))).toBeNull();
    expect(checkableIds(identifyObjects([{ id: 2 }, { id: '2' }], 'id'))).toBeNull();
  });
});

describe('decidedHashes', () => {
  const objects = [
    { id: 1, name: 'unchanged' },
    { id: 2, name: 'changed' },
    { id: 3, name: 'new' },
  ];
  const contracts = new Map([
    ['1', contract({ originId: '1', originHash: hashObject(objects[0]) })],
    ['2', contract({ originId: '2', originHash: hashObject({ id: 2, name: 'before' }) })],
  ]);

  it("gives each object's hash, in the page's order, whatever was decided for it", () => {
    const decisions = decidePage(identifyObjects(objects, 'id'), contracts, runContext());
    expect(decisions.map((d) => d.action)).toEqual(['skip', 'update', 'create']);
    expect(decidedHashes(decisions)).toEqual(objects.map((o) => hashObject(o)));
  });

  it('gives none when an object was left out by the conditions or could not be used', () => {
    const filtering = { ...NO_SETTINGS, conditions: { '!=': [{ var: 'id' }, 3] } };
    const filtered = decidePage(
      identifyObjects(objects, 'id'),
      contracts,
      runContext({ settings: filtering }),
    );
    expect(filtered.map((d) => d.action)).toContain('filtered');
    expect(decidedHashes(filtered)).toBeNull();
    const invalid = decidePage(identifyObjects([{ id: 1 }, { name: 'x' }], 'id'), contracts, runContext());
    expect(decidedHashes(invalid)).toBeNull();
  });
});
