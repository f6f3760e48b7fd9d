// drizzle/ as it was at an earlier migration, to upgrade a database from there in a test: the same
// files in a folder of `dir`, the journal ending at `tag` (drizzle applies what the journal lists).
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export function migrationsUpTo(dir: string, tag: string): string {
  const folder = path.join(dir, `drizzle-${tag}`);
  cpSync(path.resolve('drizzle'), folder, { recursive: true });
  const journalFile = path.join(folder, 'meta', '_journal.json');
  const journal = JSON.parse(readFileSync(journalFile, 'utf8')) as { entries: { tag: string }[] };
  const end = journal.entries.findIndex((e) => e.tag === tag);
  if (end < 0) throw new Error(`No migration ${tag} in drizzle/meta/_journal.json`);
  journal.entries = journal.entries.slice(0, end + 1);
  writeFileSync(journalFile, JSON.stringify(journal));
  return folder;
}
