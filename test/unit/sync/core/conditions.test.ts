// Vitest's asymmetric matchers (expect.any, expect.stringContaining) are typed `any`.

import { describe, expect, it } from 'vitest';
import { evaluateConditions, validateConditions } from '@/server/sync/core/conditions';

describe('validateConditions', () => {
  it('accepts no rule and empty rules', () => {
    expect(validateConditions(null)).toEqual({ ok: true });
    expect(validateConditions(undefined)).toEqual({ ok: true });
    expect(validateConditions({})).toEqual({ ok: true });
  });

  it('accepts nested standard operators', () => {
    const rule = {
      and: [
        { '==': [{ var: 'status' }, 'open'] },
        { in: ['x', { var: 'tags' }] },
        { '!': { var: 'archived' } },
      ],
    };
    expect(validateConditions(rule)).toEqual({ ok: true });
  });

  it('reports an unknown operator, wherever it is nested', () => {
    const result = validateConditions({ and: [{ '==': [1, 1] }, { equals: [{ var: 'a' }, 1] }] });
    expect(result).toEqual({ ok: false, problems: [expect.stringContaining('unknown operator "equals"')] });
  });

  it('reports an operation object with two operators', () => {
    expect(validateConditions({ '==': [1, 1], '!=': [1, 2] })).toMatchObject({ ok: false });
  });

  it('refuses log, which writes to the server console', () => {
    expect(validateConditions({ log: 'x' })).toMatchObject({ ok: false });
  });

  it('refuses a rule that is not an object', () => {
    expect(validateConditions('status == open')).toMatchObject({ ok: false });
  });
});

describe('evaluateConditions', () => {
  const rule = { '==': [{ var: 'status' }, 'open'] };

  it('passes objects that match and filters those that do not', () => {
    expect(evaluateConditions(rule, { status: 'open' })).toEqual({ ok: true, pass: true });
    expect(evaluateConditions(rule, { status: 'closed' })).toEqual({ ok: true, pass: false });
  });

  it('reads dot paths, including XML attributes', () => {
    const xmlRule = { '==': [{ var: '@attributes.lang' }, 'nl'] };
    expect(evaluateConditions(xmlRule, { '@attributes': { lang: 'nl' } })).toEqual({ ok: true, pass: true });
  });

  it('reaches a key that holds a dot through the escape of mapping paths (a\\.b)', () => {
    // In JSON the rule is written {"var": "price\\.eur"}: the backslash makes the dot part of the key.
    const dotted = JSON.parse('{">": [{"var": "price\\\\.eur"}, 10]}') as unknown;
    expect(evaluateConditions(dotted, { 'price.eur': 12 })).toEqual({ ok: true, pass: true });
    expect(evaluateConditions(dotted, { 'price.eur': 8 })).toEqual({ ok: true, pass: false });
    // Without the escape the dot still separates keys, as JSON Logic has it.
    expect(evaluateConditions({ '>': [{ var: 'price.eur' }, 10] }, { price: { eur: 12 } })).toEqual({
      ok: true,
      pass: true,
    });
    const nested = { '==': [{ var: 'meta.file\\.name' }, 'a.csv'] };
    expect(evaluateConditions(nested, { meta: { 'file.name': 'a.csv' } })).toEqual({ ok: true, pass: true });
    expect(evaluateConditions({ '==': [{ var: 'a\\\\b' }, 1] }, { 'a\\b': 1 })).toEqual({
      ok: true,
      pass: true,
    });
  });

  it('keeps what var does otherwise: defaults, missing values, the whole object, lengths and missing', () => {
    expect(evaluateConditions({ '==': [{ var: ['gone', 'x'] }, 'x'] }, {})).toEqual({ ok: true, pass: true });
    expect(evaluateConditions({ '==': [{ var: 'a.b' }, null] }, { a: null })).toEqual({
      ok: true,
      pass: true,
    });
    expect(evaluateConditions({ '>': [{ var: 'lines.length' }, 1] }, { lines: [1, 2] })).toEqual({
      ok: true,
      pass: true,
    });
    expect(evaluateConditions({ some: [{ var: 'n' }, { '>': [{ var: '' }, 2] }] }, { n: [1, 3] })).toEqual({
      ok: true,
      pass: true,
    });
    const missing = { '!': { missing: ['a\\.b'] } };
    expect(evaluateConditions(missing, { 'a.b': 1 })).toEqual({ ok: true, pass: true });
    expect(evaluateConditions(missing, { a: { b: 1 } })).toEqual({ ok: true, pass: false });
  });

  it('passes everything when there is no rule', () => {
    expect(evaluateConditions(null, { any: 1 })).toEqual({ ok: true, pass: true });
    expect(evaluateConditions({}, { any: 1 })).toEqual({ ok: true, pass: true });
  });

  it('returns an evaluation error as a reason, not an exception', () => {
    const result = evaluateConditions({ nonsense: [1] }, {});
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('nonsense') });
  });
});

// `var` read inherited properties: an object without a `constructor` field (a builder's, in a
// construction firm's data) held JavaScript's Object function there, so `{"!!": {"var": "constructor"}}`
// let every object through and `missing` never named the field. Only the object's own fields count, as
// in mapping paths.
describe('conditions read only the object’s own fields', () => {
  it('takes a field named like an inherited property as missing when the object lacks it', () => {
    const rule = { '!!': { var: 'constructor' } };
    expect(evaluateConditions(rule, { id: 1, constructor: 'BAM' })).toEqual({ ok: true, pass: true });
    expect(evaluateConditions(rule, { id: 2 })).toEqual({ ok: true, pass: false });
    expect(evaluateConditions({ '==': [{ var: 'toString' }, null] }, { id: 3 })).toEqual({
      ok: true,
      pass: true,
    });
    expect(evaluateConditions({ missing: ['constructor', 'id'] }, { id: 4 })).toEqual({
      ok: true,
      pass: true,
    });
    expect(evaluateConditions({ '==': [{ var: 'a.__proto__' }, null] }, { a: {} })).toEqual({
      ok: true,
      pass: true,
    });
  });

  it('still reads list positions, a list’s length and a text’s length', () => {
    const object = { lines: [{ sku: 'A' }, { sku: 'B' }], name: 'Ada' };
    expect(evaluateConditions({ '==': [{ var: 'lines.1.sku' }, 'B'] }, object)).toEqual({
      ok: true,
      pass: true,
    });
    expect(evaluateConditions({ '==': [{ var: 'lines.length' }, 2] }, object)).toEqual({
      ok: true,
      pass: true,
    });
    expect(evaluateConditions({ '==': [{ var: 'name.length' }, 3] }, object)).toEqual({
      ok: true,
      pass: true,
    });
  });
});
