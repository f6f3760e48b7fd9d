// The change feed's cursor: a position in the change numbers, which every schema's objects share (one
// counter for the database), and the schema it was read from. A client that mixed up the cursors of two
// feeds would otherwise be answered from the other schema's position: every change of this one up to
// there skipped without a word, which an at-least-once feed must never do. So another schema's cursor
// is refused. Cursors handed out before they named their schema (`{ s }` alone) are still read.
import { ApiProblem } from './problem';
import { decodeCursor, encodeCursor } from './cursor';

type Position = { s: number; k?: string };

const isPosition = (v: Record<string, unknown>): v is Position =>
  Number.isSafeInteger(v.s) && (v.s as number) >= 0 && (v.k === undefined || typeof v.k === 'string');

/** The change number to read after: 0 without a cursor. */
export function changeCursorPosition(cursor: string | undefined, schemaId: string): number {
  const position = decodeCursor(cursor, isPosition);
  if (!position) return 0;
  if (position.k !== undefined && position.k !== schemaId)
    throw new ApiProblem(
      400,
      'This cursor is from the change feed of another schema: pass each feed its own cursor, or start this one again without it.',
      [
        {
          field: 'query.cursor',
          pointer: '/cursor',
          detail: 'Pass back the cursor of a previous answer of this schema’s feed.',
        },
      ],
    );
  return position.s;
}

export const changeCursor = (seq: number, schemaId: string) => encodeCursor({ s: seq, k: schemaId });
