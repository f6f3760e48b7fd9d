// Parses JSON typed into a textarea and, when it is not valid, says what is wrong and where (line and
// column) — the browser's own JSON.parse messages do not always give a position.
export type JsonText =
  | { ok: true; value: unknown }
  | { ok: false; message: string; line: number; column: number; position: number };

class Stop extends Error {
  constructor(
    readonly position: number,
    message: string,
  ) {
    super(message);
  }
}

export function parseJsonText(text: string): JsonText {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    const found = locate(text) ?? new Stop(0, error instanceof Error ? error.message : 'Invalid JSON');
    const before = text.slice(0, found.position).split('\n');
    const line = before.length;
    const column = (before[before.length - 1]?.length ?? 0) + 1;
    return {
      ok: false,
      message: `Not valid JSON: ${found.message} (line ${line}, column ${column})`,
      line,
      column,
      position: found.position,
    };
  }
}

/** A JSON object (not a list, text or number), or why not. */
export function parseJsonObject(text: string): JsonText {
  const parsed = parseJsonText(text);
  if (!parsed.ok) return parsed;
  const v = parsed.value;
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) return parsed;
  return { ok: false, message: 'Not a JSON object: write one in { … }', line: 1, column: 1, position: 0 };
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

// A small syntax scanner, run only after JSON.parse failed, to find the first problem.
function locate(text: string): Stop | null {
  let i = 0;
  const stop = (message: string): never => {
    throw new Stop(i, message);
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
  };
  const shown = () => {
    const c = text[i];
    return c === undefined ? 'the end of the text' : c === '\n' ? 'a line break' : `‘${c}’`;
  };

  function value(): void {
    ws();
    const c = text[i];
    if (c === undefined) return stop('Unexpected end: a value is missing');
    if (c === '{') return object();
    if (c === '[') return array();
    if (c === '"') return string();
    if (c === '-' || (c >= '0' && c <= '9')) {
      NUMBER.lastIndex = i;
      if (!NUMBER.test(text)) return stop('Invalid number');
      i = NUMBER.lastIndex;
      return;
    }
    for (const word of ['true', 'false', 'null'])
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    stop(`Unexpected ${shown()}${c === "'" ? ': JSON uses double quotes' : ''}`);
  }

  function object() {
    i++;
    ws();
    if (text[i] === '}') return void i++;
    for (;;) {
      ws();
      if (text[i] !== '"') stop(`Expected a property name in double quotes, found ${shown()}`);
      string();
      ws();
      if (text[i] !== ':') stop(`Expected ‘:’ after the property name, found ${shown()}`);
      i++;
      value();
      ws();
      if (text[i] === '}') return void i++;
      if (text[i] !== ',') stop(`Expected ‘,’ or ‘}’, found ${shown()}`);
      i++;
      ws();
      if (text[i] === '}') stop('Trailing comma before ‘}’');
    }
  }

  function array() {
    i++;
    ws();
    if (text[i] === ']') return void i++;
    for (;;) {
      value();
      ws();
      if (text[i] === ']') return void i++;
      if (text[i] !== ',') stop(`Expected ‘,’ or ‘]’, found ${shown()}`);
      i++;
      ws();
      if (text[i] === ']') stop('Trailing comma before ‘]’');
    }
  }

  function string() {
    i++;
    for (;;) {
      const c = text[i];
      if (c === undefined) stop('Unterminated text: a closing ‘"’ is missing');
      else if (c === '"') return void i++;
      else if (c === '\\') {
        const next = text[i + 1] ?? '';
        if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) i += 6;
        else if (next !== '' && '"\\/bfnrt'.includes(next)) i += 2;
        else stop('Invalid escape in text');
      } else if (c < ' ') stop('Line breaks and tabs inside text must be written \\n and \\t');
      else i++;
    }
  }

  try {
    ws();
    if (i >= text.length) stop('Empty: write a JSON value');
    value();
    ws();
    if (i < text.length) stop(`Unexpected ${shown()} after the JSON value`);
    return null;
  } catch (error) {
    if (error instanceof Stop) return error;
    throw error;
  }
}
