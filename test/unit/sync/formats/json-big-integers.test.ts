// Integers beyond 2^53 in JSON text are read as their digits; everything else as JSON.parse reads it.
import { describe, expect, it } from 'vitest';
import { parseJsonKeepingBigIntegers, quoteBigIntegers } from '@/server/sync/formats/json-big-integers';

describe('parseJsonKeepingBigIntegers', () => {
  it('reads an unsafe integer as its digits, wherever it stands', () => {
    expect(
      parseJsonKeepingBigIntegers('{"id":1326012487235305472,"a":[-9223372036854775808, 9007199254740993]}'),
    ).toEqual({ id: '1326012487235305472', a: ['-9223372036854775808', '9007199254740993'] });
    expect(parseJsonKeepingBigIntegers('12345678901234567890')).toBe('12345678901234567890');
  });

  it('leaves safe integers, decimals, exponents and strings as they are', () => {
    const text =
      '{"safe":9007199254740991,"d":12345678901234567.5,"e":1e300,"s":"12345678901234567890","k\\"1234567890123456789":1}';
    expect(quoteBigIntegers(text)).toBe(text);
    expect(parseJsonKeepingBigIntegers(text)).toEqual(JSON.parse(text));
  });

  it('still refuses text that is not JSON', () => {
    expect(() => parseJsonKeepingBigIntegers('{"id": 12345678901234567890,}')).toThrow(SyntaxError);
  });
});
