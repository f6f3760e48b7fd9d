// One budget per mapped object across all of a mapping's templates (issue 9: a mapping of many slow
// templates held the process about 1 s per key), and the bounds checked when a mapping is saved.
import { describe, expect, it } from 'vitest';
import {
  applyMapping,
  compileMapping,
  validateMapping,
  type MappingOutcome,
} from '@/server/sync/core/mapping';
import { MAX_MAPPING_KEYS, MAX_TEMPLATE_TEXT } from '@/server/sync/core/mapping/config';
import { newTemplateBudget, type TemplateBudget } from '@/server/sync/core/mapping/template-budget';

function map(
  config: unknown,
  source: Record<string, unknown>,
  budget?: () => TemplateBudget,
): MappingOutcome {
  const compiled = compileMapping(config);
  if (!compiled.ok) throw new Error(`invalid mapping: ${JSON.stringify(compiled.problems)}`);
  return applyMapping(compiled.mapping, source, budget);
}

// Each would run for hours: only the budget ends it.
const NESTED_LOOP = '{% for a in (1..100000) %}{% for b in (1..100000) %}{{ a }}{% endfor %}{% endfor %}';
const OUT_OF_TIME =
  /^The templates ran out of time: all templates of a mapping get 40 ms per object together/;
const OUT_OF_ROOM = /^The templates ran out of room: .* 300,000 characters or list items per object together/;

const keys = (count: number, value: (i: number) => string) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, value(i)]));

describe('one template budget per object', () => {
  it('stops twenty nested loops with one budget: one problem, naming the limit, and no further render', () => {
    const result = map(
      { mapping: { name: 'name', ...keys(20, (i) => `${NESTED_LOOP}${i}`) } },
      { name: 'A' },
    );
    expect(result).toEqual({
      ok: false,
      errors: [{ key: 'mapping.k0', message: expect.stringMatching(OUT_OF_TIME) }],
    });
  });

  it('stops a filter that works through a long list item by item (where, map, sum)', () => {
    const items = Array.from({ length: 300_000 }, (_, i) => ({ x: i }));
    for (const template of [
      '{{ items | where: "x" | where: "x" | where: "x" | size }}',
      '{{ items | map: "x" | size }}{{ items | map: "x" | size }}{{ items | map: "x" | size }}',
      '{{ items | sum: "x" }}{{ items | sum: "x" }}{{ items | sum: "x" }}{{ items | sum: "x" }}',
    ]) {
      expect(map({ mapping: { a: template } }, { items })).toEqual({
        ok: false,
        errors: [{ key: 'mapping.a', message: expect.stringMatching(OUT_OF_TIME) }],
      });
    }
  });

  it('shares the time between templates: one rendered after the budget is spent fails at once', () => {
    const spent = () => newTemplateBudget(-1);
    expect(map({ mapping: { a: '{{ name }}', b: 'name' } }, { name: 'A' }, spent)).toEqual({
      ok: false,
      errors: [{ key: 'mapping.a', message: expect.stringMatching(/^The templates ran out of time/) }],
    });
    // Paths and literals need no budget.
    expect(map({ mapping: { b: 'name', c: '=x' } }, { name: 'A' }, spent)).toMatchObject({ ok: true });
  });

  it('shares the memory between templates: each fits alone, together they do not', () => {
    const build = '{{ text | append: text | size }}';
    const text = 'x'.repeat(100_000);
    expect(map({ mapping: { a: build } }, { text })).toMatchObject({ ok: true, value: { a: '200000' } });
    expect(map({ mapping: { a: build, b: build } }, { text })).toEqual({
      ok: false,
      errors: [{ key: 'mapping.b', message: expect.stringMatching(OUT_OF_ROOM) }],
    });
  });

  it('gives every object a budget of its own', () => {
    const compiled = compileMapping({ mapping: { a: '{{ name | upcase }}', b: NESTED_LOOP } });
    if (!compiled.ok) throw new Error('invalid');
    expect(applyMapping(compiled.mapping, { name: 'a' })).toMatchObject({ ok: false });
    const plain = compileMapping({ mapping: { a: '{{ name | upcase }}' } });
    if (!plain.ok) throw new Error('invalid');
    expect(applyMapping(plain.mapping, { name: 'b' })).toEqual({ ok: true, value: { a: 'B' }, missing: [] });
  });

  it('still reports other template errors as before', () => {
    expect(map({ mapping: { a: '{{ name | append }}' } }, {})).toMatchObject({
      ok: false,
      errors: [{ key: 'mapping.a', message: expect.stringMatching(/^Template failed/) }],
    });
  });
});

describe('bounds checked when a mapping is saved', () => {
  it(`accepts ${MAX_MAPPING_KEYS} keys and refuses one more, in a sentence`, () => {
    expect(validateMapping({ mapping: keys(MAX_MAPPING_KEYS, () => 'name') }).ok).toBe(true);
    expect(validateMapping({ mapping: keys(MAX_MAPPING_KEYS + 1, () => 'name') })).toEqual({
      ok: false,
      problems: [{ key: 'mapping', message: `A mapping can have at most ${MAX_MAPPING_KEYS} mapped keys` }],
    });
    expect(validateMapping({ cast: keys(MAX_MAPPING_KEYS + 1, () => 'int') })).toMatchObject({
      ok: false,
      problems: [{ key: 'cast', message: `A mapping can have at most ${MAX_MAPPING_KEYS} cast keys` }],
    });
    const unset = Array.from({ length: MAX_MAPPING_KEYS + 1 }, (_, i) => `k${i}`);
    expect(validateMapping({ unset })).toMatchObject({ ok: false, problems: [{ key: 'unset' }] });
  });

  it(`refuses templates of more than ${MAX_TEMPLATE_TEXT.toLocaleString('en')} characters in all`, () => {
    const template = `{{ name }}${'x'.repeat(9_990)}`;
    expect(validateMapping({ mapping: keys(5, () => template) }).ok).toBe(true);
    expect(validateMapping({ mapping: keys(6, () => template) })).toEqual({
      ok: false,
      problems: [
        {
          key: 'mapping',
          message: 'The templates of a mapping can be 50,000 characters long in all; these are 60,000',
        },
      ],
    });
  });
});
