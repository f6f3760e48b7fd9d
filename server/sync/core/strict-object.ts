// Objects that refuse keys they do not know, naming the key and the nearest known one: a typo such as
// `resultPosition` must not quietly fall back to a default. Shared by every configuration schema.
import { z } from 'zod';

/** Edit distance (insertions, deletions, substitutions), case-insensitive: `resultposition` is near. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const row = [i];
    for (let j = 1; j <= t.length; j++) {
      const substitution = previous[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1);
      row.push(Math.min(previous[j]! + 1, row[j - 1]! + 1, substitution));
    }
    previous = row;
  }
  return previous[t.length]!;
}

/** The known key a typo most likely meant; none when every known key is too far off to be a typo. */
export function nearestKey(key: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of known) {
    const d = editDistance(key, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  // A third of the key's length (at least 2) covers typos and case slips, not unrelated words.
  return best !== null && bestDistance <= Math.max(2, Math.floor(key.length / 3)) ? best : null;
}

/** "Unknown setting `resultPosition` — did you mean `resultsPosition`?" for each key. */
export function unknownKeysMessage(keys: readonly string[], known: readonly string[], noun = 'setting') {
  return keys
    .map((key) => {
      const near = nearestKey(key, known);
      if (near) return `Unknown ${noun} \`${key}\` — did you mean \`${near}\`?`;
      const list = known.map((k) => `\`${k}\``).join(', ');
      return known.length
        ? `Unknown ${noun} \`${key}\`; the known ${noun}s here are ${list}.`
        : `Unknown ${noun} \`${key}\`: nothing can be set here.`;
    })
    .join(' ');
}

/** `z.strictObject` whose refusal of unknown keys names them and the known key each one is nearest to. */
export function strictObject<T extends z.core.$ZodLooseShape>(shape: T, noun = 'setting') {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? unknownKeysMessage(issue.keys, known, noun) : undefined,
  });
}
