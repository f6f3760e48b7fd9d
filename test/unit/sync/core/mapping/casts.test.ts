// Vitest's asymmetric matchers (expect.any, expect.stringContaining) are typed `any`.

import { describe, expect, it } from 'vitest';
import { CAST_NAMES, parseCast, type CastOutcome } from '@/server/sync/core/mapping';

function cast(spec: string, value: unknown, key = 'field'): CastOutcome {
  const parsed = parseCast(spec);
  if (!parsed.ok) throw new Error(parsed.reason);
  return parsed.apply(value, key);
}
const to = (value: unknown) => ({ kind: 'value', value });
const error = { kind: 'error', reason: expect.any(String) };

describe('number casts', () => {
  it.each([
    ['int', '42', 42],
    ['int', ' -7 ', -7],
    ['int', '12.0', 12],
    ['int', 5, 5],
    ['int', true, 1],
    ['integer', '3', 3],
    ['?int', '3', 3],
    ['int', '', null],
    ['float', '3.25', 3.25],
    ['float', '-1e3', -1000],
    ['float', '.5', 0.5],
    ['number', 2, 2],
    ['double', '1', 1],
    ['float', ' ', null],
  ])('%s of %j is %j', (spec, input, expected) => {
    expect(cast(spec, input)).toEqual(to(expected));
  });

  it.each([
    ['int', '12.7'],
    ['int', 'abc'],
    ['int', 1.5],
    ['int', '99999999999999999999'],
    ['int', {}],
    ['float', '1,5'],
    ['float', 'NaN'],
    ['float', Number.POSITIVE_INFINITY],
    ['float', []],
  ])('%s refuses %j instead of inventing a number', (spec, input) => {
    expect(cast(spec, input)).toEqual(error);
  });
});

describe('boolean casts', () => {
  it.each([
    ['true', true],
    ['FALSE', false],
    ['1', true],
    ['0', false],
    ['yes', true],
    ['No', false],
    ['on', true],
    ['off', false],
    ['ja', true],
    ['nee', false],
    [1, true],
    [0, false],
    [true, true],
    ['', null],
  ])('bool of %j is %j', (input, expected) => {
    expect(cast('bool', input)).toEqual(to(expected));
    expect(cast('boolean', input)).toEqual(to(expected));
  });

  it('refuses words it does not know', () => {
    expect(cast('bool', 'maybe')).toEqual(error);
  });
});

describe('text casts', () => {
  it.each([
    ['string', 12, '12'],
    ['string', true, 'true'],
    ['string', { a: 1 }, '{"a":1}'],
    ['lowercase', 'AbC', 'abc'],
    ['uppercase', 'AbC', 'ABC'],
    ['lower', 'X', 'x'],
    ['trim', '  a b  ', 'a b'],
    ['utf8', 'é', 'é'],
    ['url', 'a b&c=d/é', 'a+b%26c%3Dd%2F%C3%A9'],
    ['urlDecode', 'a+b%26c', 'a b&c'],
    ['rawurl', "a b!'()*", 'a%20b%21%27%28%29%2A'],
    ['rawurlDecode', 'a+b%20c', 'a+b c'],
    ['html', '<a href="x">Tom & Jerry\'s</a>', '&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;'],
    ['htmlDecode', '&lt;b&gt; &amp; &quot;x&quot; &#39; &#x41; &#66; &nbsp;', '<b> & "x" \' A B \u00a0'],
    ['base64', 'héllo', 'aMOpbGxv'],
    ['base64Decode', 'aMOpbGxv', 'héllo'],
    ['base64Decode', 'aGVs bG8=', 'hello'],
  ])('%s of %j is %j', (spec, input, expected) => {
    expect(cast(spec, input)).toEqual(to(expected));
  });

  it('refuses broken encodings', () => {
    expect(cast('urlDecode', '%E0%A4%A')).toEqual(error);
    expect(cast('base64Decode', 'not base64!')).toEqual(error);
    expect(cast('base64Decode', '/w==')).toEqual(error); // 0xFF is not UTF-8 text
    expect(cast('lowercase', ['A'])).toEqual(error);
  });
});

describe('date casts', () => {
  it.each([
    ['date', '2024-03-05', '2024-03-05'],
    ['date', '2024-03-05T23:30:00+05:00', '2024-03-05'],
    ['date', 'Tue, 05 Mar 2024 10:00:00 GMT', '2024-03-05'],
    ['date', 1709632800, '2024-03-05'],
    ['datetime', '2024-03-05T10:00:00+01:00', '2024-03-05T09:00:00.000Z'],
    ['datetime', '2024-03-05 10:00:00', '2024-03-05T10:00:00.000Z'],
    ['datetime', '2024-03-05', '2024-03-05T00:00:00.000Z'],
    ['datetime', 1709632800000, '2024-03-05T10:00:00.000Z'],
    ['iso8601', '2024-03-05T10:00:00Z', '2024-03-05T10:00:00.000Z'],
    ['date', '', null],
  ])('%s of %j is %j', (spec, input, expected) => {
    expect(cast(spec, input)).toEqual(to(expected));
  });

  it.each([
    ['date', '03/04/2024'],
    ['date', 'tomorrow'],
    ['datetime', '2024-13-45'],
    ['datetime', true],
  ])('%s refuses %j (ambiguous or not a date)', (spec, input) => {
    expect(cast(spec, input)).toEqual(error);
  });
});

describe('JSON and list casts', () => {
  it('json parses text and leaves parsed values alone', () => {
    expect(cast('json', '{"a":[1,2]}')).toEqual(to({ a: [1, 2] }));
    expect(cast('json', { a: 1 })).toEqual(to({ a: 1 }));
    expect(cast('json', '{broken')).toEqual(error);
  });

  it('jsonToArray insists on a list or object', () => {
    expect(cast('jsonToArray', '[1,2]')).toEqual(to([1, 2]));
    expect(cast('jsonToArray', '"text"')).toEqual(error);
  });

  it('jsonEncode and toJson turn a value into JSON text', () => {
    expect(cast('jsonEncode', { a: 1 })).toEqual(to('{"a":1}'));
    expect(cast('toJson', [1])).toEqual(to('[1]'));
  });

  it('array wraps a single value (an XML element that occurred once) and keeps lists', () => {
    expect(cast('array', { id: 1 })).toEqual(to([{ id: 1 }]));
    expect(cast('array', [1, 2])).toEqual(to([1, 2]));
  });

  it('split and join take their separator after ==', () => {
    expect(cast('split==,', 'a,b,c')).toEqual(to(['a', 'b', 'c']));
    expect(cast('split==,', '')).toEqual(to([]));
    expect(cast('join==; ', ['a', 'b'])).toEqual(to('a; b'));
  });

  it('coordinateStringToArray reads "lat, lon"', () => {
    expect(cast('coordinateStringToArray', '52.09, 5.12')).toEqual(to([52.09, 5.12]));
    expect(cast('coordinateStringToArray', 'north')).toEqual(error);
  });
});

describe('null and unset casts', () => {
  it('nullStringToNull and emptyStringToNull', () => {
    expect(cast('nullStringToNull', 'null')).toEqual(to(null));
    expect(cast('nullStringToNull', 'NULL')).toEqual(to(null));
    expect(cast('nullStringToNull', 'nullable')).toEqual(to('nullable'));
    expect(cast('emptyStringToNull', '')).toEqual(to(null));
    expect(cast('emptyStringToNull', ' x ')).toEqual(to(' x '));
  });

  it('keyCantBeValue removes a value equal to its key', () => {
    expect(cast('keyCantBeValue', 'status', 'status')).toEqual({ kind: 'unset' });
    expect(cast('keyCantBeValue', 'city', 'address.city')).toEqual({ kind: 'unset' });
    expect(cast('keyCantBeValue', 'open', 'status')).toEqual(to('open'));
  });

  it('unsetIfValue and setNullIfValue compare exactly', () => {
    expect(cast('unsetIfValue==n/a', 'n/a')).toEqual({ kind: 'unset' });
    expect(cast('unsetIfValue==n/a', 'n/a!')).toEqual(to('n/a!'));
    expect(cast('unsetIfValue==0', 0)).toEqual({ kind: 'unset' });
    expect(cast('setNullIfValue==-', '-')).toEqual(to(null));
    expect(cast('setNullIfValue==-', '--')).toEqual(to('--'));
  });

  it('unsetIfNull, unsetIfEmpty and default see null', () => {
    expect(cast('unsetIfNull', null)).toEqual({ kind: 'unset' });
    expect(cast('unsetIfEmpty', [])).toEqual({ kind: 'unset' });
    expect(cast('unsetIfEmpty', '  ')).toEqual({ kind: 'unset' });
    expect(cast('unsetIfEmpty', 0)).toEqual(to(0));
    expect(cast('default==unknown', null)).toEqual(to('unknown'));
    expect(cast('default==unknown', 'x')).toEqual(to('x'));
  });

  it('null passes through every other cast unchanged', () => {
    for (const name of [
      'int',
      'float',
      'bool',
      'string',
      'date',
      'datetime',
      'json',
      'array',
      'base64',
      'lowercase',
      'moneyStringToInt',
    ]) {
      expect(cast(name, null)).toEqual(to(null));
    }
  });
});

describe('money casts', () => {
  it.each([
    ['12.34', 1234],
    ['12,34', 1234],
    ['1.234,56', 123456],
    ['1,234.56', 123456],
    ['€ 1.234,5', 123450],
    ['12', 1200],
    ['-3,5', -350],
    ['1,234', 123400],
    [12.34, 1234],
  ])('moneyStringToInt of %j is %j cents', (input, expected) => {
    expect(cast('moneyStringToInt', input)).toEqual(to(expected));
  });

  it('refuses text without an amount', () => {
    expect(cast('moneyStringToInt', 'free')).toEqual(error);
  });

  it.each([
    [1234, '12.34'],
    [5, '0.05'],
    [-250, '-2.50'],
    ['700', '7.00'],
  ])('intToMoneyString of %j is %j', (input, expected) => {
    expect(cast('intToMoneyString', input)).toEqual(to(expected));
  });
});

describe('cast names', () => {
  it('are case-insensitive and accept a leading ?', () => {
    expect(cast('INTEGER', '1')).toEqual(to(1));
    expect(cast('?Bool', 'yes')).toEqual(to(true));
  });

  it('unknown names give a reason with a suggestion', () => {
    expect(parseCast('flaot')).toEqual({ ok: false, reason: 'Unknown cast "flaot"; did you mean "float"?' });
    expect(parseCast('teleport')).toEqual({ ok: false, reason: 'Unknown cast "teleport"' });
    expect(parseCast('nope==x')).toMatchObject({ ok: false });
    expect(parseCast('unsetIfValue')).toMatchObject({
      ok: false,
      reason: expect.stringContaining('needs a value'),
    });
  });

  it('lists every cast for forms', () => {
    expect(CAST_NAMES).toEqual(
      expect.arrayContaining(['int', 'jsonToArray', 'moneyStringToInt', 'unsetIfValue==…']),
    );
  });
});
