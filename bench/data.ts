// Generated source data: small, realistic person-like objects, and the 1 % change between runs.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CHANGE_EVERY, COLLECTION, ID_KIND } from './config';

export interface Item {
  id: number | string;
  name: string;
  email: string;
  age: number;
  active: boolean;
  score: number;
  address: { street: string; city: string; postcode: string };
  tags: string[];
}

const CITIES = ['Utrecht', 'Leiden', 'Delft', 'Zwolle', 'Groningen', 'Breda', 'Arnhem', 'Haarlem'];
const TAGS = ['customer', 'supplier', 'partner', 'lead', 'archived'];

/** A UUID-shaped id drawn from the object's number: random-looking, the same in every run. */
const uuidOf = (n: number) =>
  createHash('md5')
    .update(String(n))
    .digest('hex')
    .replace(/^(.{8})(.{4})(.{4})(.{4})(.{12})$/, '$1-$2-$3-$4-$5');

export function generateItems(count: number): Item[] {
  return Array.from({ length: count }, (_, i) => {
    const id = i + 1;
    return {
      id: ID_KIND === 'uuid' ? uuidOf(id) : id,
      name: `Person ${id}`,
      email: `person${id}@example.test`,
      age: 18 + (id % 70),
      active: id % 3 !== 0,
      score: Math.round(((id * 7919) % 10_000) / 10) / 10,
      address: {
        street: `Street ${id % 500} ${1 + (id % 120)}`,
        city: CITIES[id % CITIES.length]!,
        postcode: `${1000 + (id % 9000)} AB`,
      },
      tags: [TAGS[id % TAGS.length]!, TAGS[(id + 2) % TAGS.length]!],
    };
  });
}

/** Renames every CHANGE_EVERY-th object in place (a mapped field, so the register must be updated). */
export function changeOnePercent(items: Item[]): number {
  let changed = 0;
  for (const [i, item] of items.entries()) {
    if ((i + 1) % CHANGE_EVERY !== 0) continue;
    item.name = `${item.name} (renamed)`;
    changed++;
  }
  return changed;
}

/** The source's data as json-server's db.json (both peers read that file). */
export function writeDb(file: string, items: unknown[]): void {
  writeFileSync(file, JSON.stringify({ [COLLECTION]: items }));
}

/**
 * db.json with `count` objects (the 1 % changed when `changed`), made in a child process: the measuring
 * process never holds the generated data. Returns how many objects changed.
 */
export function writeSourceData(file: string, count: number, changed = false): number {
  const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'write-data.ts');
  const args = ['--import', 'tsx', script, file, String(count), ...(changed ? ['changed'] : [])];
  return Number(execFileSync(process.execPath, args, { encoding: 'utf8' }).trim());
}
