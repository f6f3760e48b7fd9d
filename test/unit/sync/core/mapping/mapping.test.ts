// Vitest's asymmetric matchers (expect.any, expect.stringContaining) are typed `any`.

import { describe, expect, it } from 'vitest';
import {
  applyMapping,
  compileMapping,
  validateMapping,
  type MappingOutcome,
} from '@/server/sync/core/mapping';

function map(config: unknown, source: Record<string, unknown>): MappingOutcome {
  const compiled = compileMapping(config);
  if (!compiled.ok) throw new Error(`invalid mapping: ${JSON.stringify(compiled.problems)}`);
  return applyMapping(compiled.mapping, source);
}

const source = {
  id: 12,
  name: 'Pump station',
  address: { street: 'Main', city: 'Utrecht' },
  tags: ['water', 'north'],
  '@attributes': { code: 'PS-12' },
  'First Name': 'Ann',
};

describe('mapping values', () => {
  it('reads dot paths, including XML attributes and keys with spaces', () => {
    const result = map(
      { mapping: { title: 'name', city: 'address.city', code: '@attributes.code', first: 'First Name' } },
      source,
    );
    expect(result).toEqual({
      ok: true,
      value: { title: 'Pump station', city: 'Utrecht', code: 'PS-12', first: 'Ann' },
      missing: [],
    });
  });

  it('keeps the type of values read by path (lists and objects included)', () => {
    expect(map({ mapping: { id: 'id', tags: 'tags', where: 'address' } }, source)).toMatchObject({
      value: { id: 12, tags: ['water', 'north'], where: { street: 'Main', city: 'Utrecht' } },
    });
  });

  it('renders Liquid templates with filters', () => {
    const result = map(
      { mapping: { label: '{{ name | upcase }} ({{ address.city }})', first: '{{ tags | first }}' } },
      source,
    );
    expect(result).toMatchObject({ value: { label: 'PUMP STATION (Utrecht)', first: 'water' } });
  });

  it('reads XML attribute keys in templates with bracket syntax', () => {
    expect(map({ mapping: { code: '{{ ["@attributes"].code }}' } }, source)).toMatchObject({
      value: { code: 'PS-12' },
    });
  });

  it('treats =text as a literal, and ==text as text starting with =', () => {
    expect(map({ mapping: { kind: '=pump', formula: '==a+b', empty: '=' } }, source)).toMatchObject({
      value: { kind: 'pump', formula: '=a+b', empty: '' },
    });
  });

  it('leaves out keys whose source path is missing, and lists them', () => {
    const result = map({ mapping: { title: 'name', phone: 'contact.phone' } }, source);
    expect(result).toEqual({ ok: true, value: { title: 'Pump station' }, missing: ['phone'] });
  });

  it('builds nested objects from dotted output keys', () => {
    const result = map(
      {
        mapping: {
          'location.city': 'address.city',
          'location.street': 'address.street',
          'meta.source': '=legacy',
        },
      },
      source,
    );
    expect(result).toMatchObject({
      value: { location: { city: 'Utrecht', street: 'Main' }, meta: { source: 'legacy' } },
    });
  });
});

describe('passThrough, unset, root and #', () => {
  it('passThrough starts from a copy of the source; mapped keys override', () => {
    const result = map(
      { passThrough: true, mapping: { name: '{{ name | downcase }}' }, unset: ['@attributes', 'First Name'] },
      source,
    );
    expect(result).toMatchObject({ value: { id: 12, name: 'pump station', tags: ['water', 'north'] } });
    if (result.ok) expect(result.value).not.toHaveProperty('@attributes');
  });

  it('never modifies the source object', () => {
    const original = structuredClone(source);
    map(
      {
        passThrough: true,
        mapping: { 'address.city': '=Elsewhere' },
        unset: ['tags'],
        cast: { id: 'string' },
      },
      source,
    );
    map({ mapping: { where: 'address' }, unset: ['where.city'] }, source);
    expect(source).toEqual(original);
  });

  it('root maps from the object at a source path', () => {
    const wrapped = { data: { attributes: { title: 'T', n: '3' } } };
    expect(
      map(
        { root: 'data.attributes', mapping: { name: 'title', count: 'n' }, cast: { count: 'int' } },
        wrapped,
      ),
    ).toMatchObject({
      value: { name: 'T', count: 3 },
    });
  });

  it('root that is missing is an error for the object', () => {
    expect(map({ root: 'data.attributes', mapping: {} }, { data: {} })).toMatchObject({
      ok: false,
      errors: [{ key: 'root' }],
    });
  });

  it('"#" starts the output from the object at a path, then mapped keys apply', () => {
    const result = map({ mapping: { '#': 'address', country: '=NL' } }, source);
    expect(result).toMatchObject({ value: { street: 'Main', city: 'Utrecht', country: 'NL' } });
  });
});

describe('casts in the mapping', () => {
  it('applies casts to output keys, in order', () => {
    const result = map(
      {
        mapping: { id: 'id', price: '=12,50', active: '=yes', note: '=null' },
        cast: { id: 'string', price: 'moneyStringToInt', active: 'bool', note: ['trim', 'nullStringToNull'] },
      },
      source,
    );
    expect(result).toMatchObject({ value: { id: '12', price: 1250, active: true, note: null } });
  });

  it('casts nested output keys', () => {
    expect(
      map({ mapping: { 'stats.count': '=7' }, cast: { 'stats.count': 'integer' } }, source),
    ).toMatchObject({ value: { stats: { count: 7 } } });
  });

  it('removes a key when a cast says so', () => {
    const result = map(
      { mapping: { status: '=n/a', other: 'name' }, cast: { status: 'unsetIfValue==n/a' } },
      source,
    );
    expect(result).toEqual({ ok: true, value: { other: 'Pump station' }, missing: [] });
  });

  it('skips casts for keys that are not in the output', () => {
    expect(map({ mapping: { phone: 'contact.phone' }, cast: { phone: 'int' } }, source)).toMatchObject({
      ok: true,
      value: {},
    });
  });

  it('reports every failing key as a value, not an exception', () => {
    const result = map(
      { mapping: { a: '=abc', b: '=12x', c: '=fine' }, cast: { a: 'int', b: 'float' } },
      source,
    );
    expect(result).toEqual({
      ok: false,
      errors: [
        { key: 'cast.a', message: '"abc" is not a whole number (cast int)' },
        { key: 'cast.b', message: '"12x" is not a number (cast float)' },
      ],
    });
  });
});

describe('validateMapping', () => {
  it('accepts a valid configuration and fills defaults', () => {
    expect(validateMapping({ mapping: { a: 'b' } })).toEqual({
      ok: true,
      config: { mapping: { a: 'b' }, unset: [], cast: {}, passThrough: false },
    });
  });

  it('reports every problem with its key', () => {
    const result = validateMapping({
      mapping: {
        ok: 'name',
        broken: '{{ name | nosuchfilter }}',
        unclosed: '{{ name',
        badpath: 'a..b',
        'x.': 'name',
      },
      cast: { ok: 'int', typo: 'integr', needsValue: 'unsetIfValue' },
      unset: ['fine', ''],
      root: 'a..b',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const keys = result.problems.map((p) => p.key);
    expect(keys).toEqual(
      expect.arrayContaining([
        'root',
        'mapping.broken',
        'mapping.unclosed',
        'mapping.badpath',
        'mapping.x.',
        'cast.typo',
        'cast.needsValue',
        'unset[1]',
      ]),
    );
    expect(result.problems.find((p) => p.key === 'cast.typo')?.message).toContain('did you mean "int"');
    expect(result.problems.find((p) => p.key === 'mapping.broken')?.message).toContain('nosuchfilter');
  });

  it('rejects a key mapped both as a value and as a parent', () => {
    const result = validateMapping({ mapping: { address: 'address', 'address.city': 'address.city' } });
    expect(result).toMatchObject({ ok: false, problems: [{ key: 'mapping.address.city' }] });
  });

  it('rejects the wrong shape with the path of the problem', () => {
    expect(validateMapping({ mapping: { a: 5 } })).toMatchObject({
      ok: false,
      problems: [{ key: 'mapping.a' }],
    });
    expect(validateMapping({ passThrough: 'yes' })).toMatchObject({
      ok: false,
      problems: [{ key: 'passThrough' }],
    });
  });

  it('rejects templates that would read files', () => {
    const result = validateMapping({ mapping: { a: "{% include '/etc/passwd' %}", b: "{% render 'x' %}" } });
    expect(result).toMatchObject({ ok: false, problems: [{ key: 'mapping.a' }, { key: 'mapping.b' }] });
  });

  it('rejects "#" combined with passThrough, and "#" that is not a path', () => {
    expect(validateMapping({ passThrough: true, mapping: { '#': 'a' } })).toMatchObject({ ok: false });
    expect(validateMapping({ mapping: { '#': '{{ a }}' } })).toMatchObject({ ok: false });
  });

  it('rejects output keys that would reach an object prototype', () => {
    expect(validateMapping({ mapping: { '__proto__.x': '=1' } })).toMatchObject({
      ok: false,
      problems: [{ key: 'mapping.__proto__.x' }],
    });
  });
});

describe('templates are safe', () => {
  it('cannot reach JavaScript through properties', () => {
    expect(map({ mapping: { a: '{{ name.constructor }}{{ constructor }}' } }, source)).toMatchObject({
      value: { a: '' },
    });
  });

  it('a runaway loop is stopped and reported for the object', () => {
    const result = map({ mapping: { a: '{% for i in (1..100000000) %}xxxxxxxxxx{% endfor %}' } }, source);
    expect(result).toMatchObject({
      ok: false,
      errors: [{ key: 'mapping.a', message: expect.stringMatching(/^The templates ran out of/) }],
    });
  });
});
