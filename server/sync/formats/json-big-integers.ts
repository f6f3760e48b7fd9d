// JSON text parsed with its big integers kept. A JSON number is a double: an integer beyond 2^53 (a
// 64-bit id such as a Snowflake id, 1326012487235305472) comes out rounded (…305000), so two records
// became one id and values changed without a word. Such an integer is read as its text instead, every
// digit kept — as an SQL source gives big integers. Smaller integers and every decimal stay numbers.
// Pure.

/** A run of digits no double holds exactly can only be 16 digits or more. */
const LONG_DIGITS = /\d{16}/;
const NUMBER = /-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

/** JSON.parse, with each integer literal beyond Number.MAX_SAFE_INTEGER read as a string of its digits. */
export function parseJsonKeepingBigIntegers(text: string): unknown {
  if (!LONG_DIGITS.test(text)) return JSON.parse(text);
  return JSON.parse(quoteBigIntegers(text));
}

/** The text with every unsafe integer literal outside strings put in quotes; the rest as it was. */
export function quoteBigIntegers(text: string): string {
  const parts: string[] = [];
  let from = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Skip the string, escapes included.
      i++;
      while (i < text.length && text.charCodeAt(i) !== 0x22) i += text.charCodeAt(i) === 0x5c ? 2 : 1;
      i++;
      continue;
    }
    if (c === 0x2d /* - */ || (c >= 0x30 && c <= 0x39)) {
      NUMBER.lastIndex = i;
      const match = NUMBER.exec(text);
      if (!match) {
        i++;
        continue;
      }
      const literal = match[0];
      if (!/[.eE]/.test(literal) && !Number.isSafeInteger(Number(literal))) {
        parts.push(text.slice(from, i), `"${literal}"`);
        from = i + literal.length;
      }
      i += literal.length;
      continue;
    }
    i++;
  }
  if (from === 0) return text;
  parts.push(text.slice(from));
  return parts.join('');
}
