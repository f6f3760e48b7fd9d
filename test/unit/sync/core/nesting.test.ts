// Data nested deeper than Concord reads (200 levels) is refused where it enters, with a sentence naming
// the limit: parsed source answers (JSON and XML), file records, and as a last guard an object that
// cannot be hashed is invalid without being stored (issue 9: 1,000–5,000 levels overflowed the stack).
import { describe, expect, it } from 'vitest';
import { decidePage } from '@/server/sync/core/one-way';
import { identifyObjects } from '@/server/sync/core/ids';
import { MAX_NESTING, nestedDeeperThan } from '@/server/sync/core/nesting';
import { readJson } from '@/server/sync/formats/json-file';
import { parseXml } from '@/server/sync/formats/xml';
import { readXml } from '@/server/sync/formats/xml-file';
import { parseBody } from '@/server/sync/http/body';
import { collect, failureOf, problemsOf, recordsOf, utf8 } from '../formats/collect';
import { NO_SETTINGS, TIMES } from './helpers/factories';

const deepObject = (levels: number): unknown => {
  let value: unknown = 1;
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
};
const deepJson = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
const deepList = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
const deepXml = (levels: number) => `${'<a>'.repeat(levels)}x${'</a>'.repeat(levels)}`;
const TOO_DEEP = `nested deeper than ${MAX_NESTING} levels, the most Concord reads`;

describe('nestedDeeperThan', () => {
  it('counts levels of objects and lists, a flat object being one', () => {
    expect(nestedDeeperThan({ a: 1 }, 1)).toBe(false);
    expect(nestedDeeperThan({ a: [] }, 1)).toBe(true);
    expect(nestedDeeperThan(deepObject(MAX_NESTING))).toBe(false);
    expect(nestedDeeperThan(deepObject(MAX_NESTING + 1))).toBe(true);
    expect(nestedDeeperThan(JSON.parse(deepList(MAX_NESTING)))).toBe(false);
    expect(nestedDeeperThan(JSON.parse(deepList(MAX_NESTING + 1)))).toBe(true);
    expect(nestedDeeperThan('text')).toBe(false);
  });

  it('measures any depth without overflowing the stack', () => {
    expect(nestedDeeperThan(deepObject(1_000_000))).toBe(true);
  });
});

describe.each([1_000, 5_000])('%i levels', (levels) => {
  it('a JSON or XML answer is refused with the limit, never parsed into the page', () => {
    for (const text of [`[{"id":1,"deep":${deepJson(levels)}}]`, `[${deepList(levels)}]`]) {
      expect(parseBody(text, 'application/json')).toEqual({
        ok: false,
        kind: 'too-deep',
        why: `a body ${TOO_DEEP}`,
      });
    }
    expect(parseBody(`<list><item>${deepXml(levels)}</item></list>`, 'text/xml')).toEqual({
      ok: false,
      kind: 'too-deep',
      why: `a body ${TOO_DEEP}`,
    });
  });

  it('a JSON file record is a problem with its line (the others are read), an XML file fails', async () => {
    const json = `[{"id":1},\n{"id":2,"deep":${deepJson(levels)}}]`;
    const batches = await collect(readJson([utf8(json)]));
    expect(recordsOf(batches)).toEqual([{ id: 1 }]);
    expect(problemsOf(batches)).toEqual([`Record 2 (line 2) is ${TOO_DEEP}.`]);
    const xml = await collect(readXml([utf8(`<list><item>${deepXml(levels)}</item></list>`)]));
    expect(failureOf(xml)?.reason).toBe(`The XML document is ${TOO_DEEP}.`);
  });
});

// Data that reaches the engine without being parsed by Concord (an SQL driver's JSON column): the
// engine's last guard is the hash, which refuses more than 1,000 levels.
describe('an object nested 5,000 levels in the engine', () => {
  it('is invalid when it cannot be hashed (over 1,000 levels), and its data is not stored', () => {
    const items = identifyObjects([{ id: 'deep', deep: deepObject(5_000) }, { id: 'flat' }], 'id');
    const context = {
      settings: NO_SETTINGS,
      mode: { force: false, test: false },
      configChangedAt: TIMES.configChangedAt,
      mappingChangedAt: null,
      checkedAt: TIMES.thisRun,
    };
    const [deep, flat] = decidePage(items, new Map(), context);
    expect(deep).toMatchObject({ action: 'invalid', reason: expect.stringMatching(/more than 1000 levels/) });
    expect(deep?.action === 'invalid' && deep.contract && 'originData' in deep.contract).toBe(false);
    // What is stored of it can be written as JSON.
    expect(() => JSON.stringify(deep)).not.toThrow();
    expect(flat).toMatchObject({ action: 'create' });
  });
});

describe('XML elements', () => {
  it(`reads ${MAX_NESTING} levels of elements and refuses more`, () => {
    expect(parseXml(deepXml(MAX_NESTING)).ok).toBe(true);
    expect(parseXml(deepXml(MAX_NESTING + 2))).toMatchObject({ ok: false, tooDeep: true });
  });
});
