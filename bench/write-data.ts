// Writes the source's db.json in a process of its own (`tsx bench/write-data.ts <file> <objects>
// [changed]`), so the process that measures Concord never holds the generated objects and its RSS is
// Concord's own (issue 14). With `changed`, the 1 % change is applied first. Prints how many changed.
import { changeOnePercent, generateItems, writeDb } from './data';

const [file, objects, changed] = process.argv.slice(2);
if (!file || !objects) throw new Error('usage: write-data.ts <file> <objects> [changed]');
const items = generateItems(Number(objects));
const count = changed === 'changed' ? changeOnePercent(items) : 0;
writeDb(file, items);
console.log(count);
