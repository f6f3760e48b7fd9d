// Splits a stream of JSON text into its records without holding the whole document: the elements of a
// top-level array, or the values of a JSON Lines file, each cut out as text and parsed on its own.

export interface RawValue {
  text: string;
  /** Line where the value starts (1-based). */
  line: number;
}

export interface SplitStep {
  values: RawValue[];
  /** A fault in the document's structure: nothing after it can be trusted. */
  fatal?: { reason: string; line: number };
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const PRIMITIVE_END = new Set([' ', '\t', '\n', '\r', ',', ']', '[', '{', '"']);

export class JsonSplitter {
  private mode: 'start' | 'array' | 'lines' | 'end' = 'start';
  private expectingValue = false;
  private inValue = false;
  private inString = false;
  private escaped = false;
  private primitive = false;
  private depth = 0;
  private pieces: string[] = [];
  private pieceChars = 0;
  private valueLine = 0;
  private line = 1;

  constructor(private readonly maxValueChars = 8 * 1024 * 1024) {}

  /** Feeds the next chunk of text; returns the values completed in it. */
  feed(chunk: string): SplitStep {
    const values: RawValue[] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i] as string;
      if (c === '\n') this.line++;
      if (this.inValue) {
        if (this.inString) {
          if (this.escaped) this.escaped = false;
          else if (c === '\\') this.escaped = true;
          else if (c === '"') {
            this.inString = false;
            if (this.depth === 0) values.push(this.finish(chunk.slice(start, i + 1)));
          }
          continue;
        }
        if (!this.primitive) {
          if (c === '"') this.inString = true;
          else if (c === '{' || c === '[') this.depth++;
          else if ((c === '}' || c === ']') && --this.depth === 0)
            values.push(this.finish(chunk.slice(start, i + 1)));
          continue;
        }
        if (!PRIMITIVE_END.has(c)) continue;
        // A number, true, false or null ends at the first character that cannot belong to it.
        values.push(this.finish(chunk.slice(start, i)));
      }
      if (WHITESPACE.has(c)) continue;
      const fatal = this.structural(c);
      if (fatal) return { values, fatal };
      if (this.inValue) start = i;
    }
    if (this.inValue) {
      const rest = chunk.slice(start);
      this.pieces.push(rest);
      this.pieceChars += rest.length;
      if (this.pieceChars > this.maxValueChars) {
        const reason = `The record starting on line ${this.valueLine} is longer than ${this.maxValueChars} characters.`;
        return { values, fatal: { reason, line: this.valueLine } };
      }
    }
    return { values };
  }

  /** Call once the text has ended: completes a trailing number or reports a document cut short. */
  end(): SplitStep {
    if (this.inValue && this.primitive) return { values: [this.finish('')] };
    if (this.inValue) {
      const reason = `The file ends inside the record that starts on line ${this.valueLine}.`;
      return { values: [], fatal: { reason, line: this.valueLine } };
    }
    if (this.mode === 'start') return { values: [], fatal: { reason: 'The JSON file is empty.', line: 1 } };
    if (this.mode === 'array') {
      return {
        values: [],
        fatal: { reason: 'The JSON file ends before the closing ] of its array.', line: this.line },
      };
    }
    return { values: [] };
  }

  // Handles a character between values: array brackets and commas, or the start of a value.
  private structural(c: string): SplitStep['fatal'] {
    if (this.mode === 'start') {
      if (c === '[') {
        this.mode = 'array';
        this.expectingValue = true;
        return undefined;
      }
      this.mode = 'lines';
    }
    if (this.mode === 'end') {
      return {
        reason: `Unexpected "${c}" on line ${this.line} after the end of the array.`,
        line: this.line,
      };
    }
    if (this.mode === 'array') {
      if (c === ',' && !this.expectingValue) {
        this.expectingValue = true;
        return undefined;
      }
      if (c === ']') {
        // Also after a trailing comma: `[{…},]` is forgiven, it loses nothing.
        this.mode = 'end';
        return undefined;
      }
      if (!this.expectingValue || c === ',') {
        return { reason: `Expected a comma or ] on line ${this.line}, found "${c}".`, line: this.line };
      }
      this.expectingValue = false;
    }
    this.startValue(c);
    return undefined;
  }

  private startValue(c: string): void {
    this.inValue = true;
    this.valueLine = this.line;
    this.inString = c === '"';
    this.primitive = c !== '"' && c !== '{' && c !== '[';
    this.depth = c === '{' || c === '[' ? 1 : 0;
  }

  private finish(tail: string): RawValue {
    const text = this.pieces.length ? this.pieces.join('') + tail : tail;
    this.pieces = [];
    this.pieceChars = 0;
    this.inValue = false;
    this.primitive = false;
    return { text, line: this.valueLine };
  }
}
