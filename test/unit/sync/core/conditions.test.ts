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

  it('passes everything when there is no rule', () => {
    expect(evaluateConditions(null, { any: 1 })).toEqual({ ok: true, pass: true });
    expect(evaluateConditions({}, { any: 1 })).toEqual({ ok: true, pass: true });
  });

  it('returns an evaluation error as a reason, not an exception', () => {
    const result = evaluateConditions({ nonsense: [1] }, {});
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('nonsense') });
  });
});
