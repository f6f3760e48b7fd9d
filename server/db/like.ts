// Text searched anywhere in a column with LIKE: the text's own wildcards taken literally.

/** `%`, `_` and the escape itself taken literally in a LIKE pattern (ESCAPE '\\'). */
export function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}
