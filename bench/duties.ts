// `npm run bench:duties`: what each object costs Concord's JavaScript in an initial pull, duty by duty,
// apart from the run — the benchmark's objects (BENCH_OBJECTS, 100,000 unless told) parsed a page at a
// time, then each duty of the engine's per-object path over all of them with Concord's own functions
// and the benchmark's mapping and schema, beside what the fetch+insert floor does with each object
// (parse it, serialise its row). Issue 14's initial-pull target is a ratio of CPU: this says which part
// of the per-object path a change would have to shrink, and what the floor leaves for all of them.
// Three rounds (the first warms the code up); prints a table and writes bench/duties-results.json with
// each duty's CPU-seconds, the middle of the rounds.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileObjectValidator } from '@/server/services/json-schema';
import { hashObject } from '@/server/sync/core/canonical-json';
import { applyMapping } from '@/server/sync/core/mapping/apply';
import { compileMapping } from '@/server/sync/core/mapping/compile';
import { packSourceCopies } from '@/server/sync/stores/source-copies';
import { stableObjectId } from '@/server/sync/targets/register-rows';
import { ITEM_MAPPING, ITEM_SCHEMA } from './concord';
import { OBJECTS, PAGE_SIZE } from './config';
import { generateItems } from './data';
import { machine } from './report';

type Item = Record<string, unknown>;

const ROUNDS = 3;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const compiled = compileMapping(ITEM_MAPPING);
if (!compiled.ok) throw new Error('bench/duties.ts: the benchmark mapping does not compile');
const mapping = compiled.mapping;
const validate = compileObjectValidator(ITEM_SCHEMA);
const scope = { orgId: 'org_01m96yfxjk58w0jbvxzxpwd6pz', schemaId: 'sch_01m96yfxkwzmh56ryb4ez55pz1' };
const runId = 'run_01m96yfxpa0000000000000000';

const items = generateItems(OBJECTS);
const bodies: string[] = [];
for (let at = 0; at < items.length; at += PAGE_SIZE)
  bodies.push(JSON.stringify(items.slice(at, at + PAGE_SIZE)));

const cpuMs = () => {
  const used = process.cpuUsage();
  return (used.user + used.system) / 1000;
};

function timed(work: () => void): number {
  const started = cpuMs();
  work();
  return (cpuMs() - started) / 1000;
}

/** One round: every duty over every page, each duty's CPU-seconds. */
function round(): Record<string, number> {
  let pages: Item[][] = [];
  let outputs: Item[][] = [];
  const seconds: Record<string, number> = {};
  seconds['floor: parse the pages'] = timed(() => {
    pages = bodies.map((body) => JSON.parse(body) as Item[]);
  });
  seconds["floor: serialise each object's row"] = timed(() => {
    for (const page of pages) JSON.stringify(page.map((o) => [String(o.id), JSON.stringify(o)]));
  });
  seconds["the source object's hash"] = timed(() => {
    for (const page of pages) for (const o of page) hashObject(o);
  });
  seconds['the mapping'] = timed(() => {
    outputs = pages.map((page) =>
      page.map((o) => {
        const outcome = applyMapping(mapping, o);
        if (!outcome.ok) throw new Error('bench/duties.ts: an object the mapping refuses');
        return outcome.value;
      }),
    );
  });
  seconds['the validation'] = timed(() => {
    for (const page of outputs) for (const o of page) validate(o);
  });
  seconds["the output's hash"] = timed(() => {
    for (const page of outputs) for (const o of page) hashObject(o);
  });
  seconds["the register object's id"] = timed(() => {
    pages.forEach((page, at) => {
      for (const o of page) stableObjectId(scope, String(o.id), { runId, page: at + 1 });
    });
  });
  seconds['packing the source copies'] = timed(() => {
    for (const page of pages) packSourceCopies(page);
  });
  seconds["the object rows' JSON"] = timed(() => {
    for (const page of outputs)
      JSON.stringify(page.map((o, at) => [String(at), JSON.stringify(o), '0'.repeat(32)]));
  });
  return seconds;
}

const rounds = Array.from({ length: ROUNDS }, round);
const middle = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const duties = Object.fromEntries(
  Object.keys(rounds[0]!).map((duty) => [
    duty,
    Math.round(middle(rounds.map((r) => r[duty]!)) * 1000) / 1000,
  ]),
);
const sum = (keys: string[]) =>
  Math.round(keys.reduce((total, key) => total + duties[key]!, 0) * 1000) / 1000;
const floor = sum(Object.keys(duties).filter((k) => k.startsWith('floor')));
const concord = sum(Object.keys(duties).filter((k) => !k.startsWith('floor')));

console.log(`Per-object duties over ${OBJECTS} objects (CPU-s, the middle of ${ROUNDS} rounds):`);
for (const [duty, seconds] of Object.entries(duties))
  console.log(`  ${duty.padEnd(38)} ${seconds.toFixed(3)}`);
console.log(`  ${"the floor's own JavaScript".padEnd(38)} ${floor.toFixed(3)}`);
console.log(`  ${"Concord's duties besides parsing".padEnd(38)} ${concord.toFixed(3)}`);
writeFileSync(
  path.join(root, 'bench', 'duties-results.json'),
  `${JSON.stringify({ date: new Date().toISOString(), objects: OBJECTS, machine: machine(), duties, floor, concord }, null, 2)}\n`,
);
