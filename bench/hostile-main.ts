// Serves the real tRPC router over HTTP in this process (the standalone adapter; the bench names the
// caller in a header instead of a session cookie). Organisation A's viewer sends hostile previews and
// runs a sync with a hostile mapping; meanwhile organisation B's member sends a cheap request
// (mappings.list) every few milliseconds, and the latency of each is recorded. Writes
// bench/hostile-results.json: per case the hostile call's duration and B's latencies while it ran.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { createTRPCClient, httpLink } from '@trpc/client';
import { createHTTPServer } from '@trpc/server/adapters/standalone';
import superjson from 'superjson';
import { openDatabase } from '@/server/db/client';
import { migrateDatabase } from '@/server/db/migrate';
import { executeEmbedded } from '@/server/runner/embedded';
import { signUp } from '@/server/services/accounts';
import { acceptInvitation, createInvitation } from '@/server/services/invitations';
import { listOrganisationsOf } from '@/server/services/organisations';
import { loadRun, requestRun } from '@/server/services/runs';
import type { SessionUser } from '@/server/trpc/init';
import { appRouter, createCaller, type AppRouter } from '@/server/trpc/root';
import { loadAverage, machine } from './report';

const log = (message: string) => console.log(`[hostile] ${message}`);
const PROBE_GAP_MS = 5;
const NESTED_LOOP = '{% for a in (1..100000) %}{% for b in (1..100000) %}{{ a }}{% endfor %}{% endfor %}';
const keys = (n: number, value: (i: number) => string) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, value(i)]));

type Client = ReturnType<typeof createTRPCClient<AppRouter>>;

function clientFor(url: string, user: SessionUser): Client {
  return createTRPCClient<AppRouter>({
    links: [httpLink({ url, transformer: superjson, headers: { 'x-bench-user': user.id } })],
  });
}

async function person(db: Parameters<typeof signUp>[0], name: string, inviteToken?: string) {
  const { user } = await signUp(db, {
    name,
    email: `${name.toLowerCase()}-${Date.now()}@example.test`,
    password: 'correct horse battery',
    organisationName: name,
    inviteToken,
  });
  const [org] = await listOrganisationsOf(db, user.id);
  if (!org) throw new Error('no organisation after sign-up');
  return { user: { id: user.id, email: user.email, name: user.name }, orgId: org.orgId };
}

const stats = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => round(sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0);
  return { count: sorted.length, medianMs: at(0.5), p95Ms: at(0.95), maxMs: round(sorted.at(-1) ?? 0) };
};
const round = (n: number) => Math.round(n * 10) / 10;

/** B's cheap request, sent one after the other with a short gap until `hostile` settles. */
async function probeWhile(victim: Client, orgId: string, hostile: Promise<unknown>) {
  let done = false;
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const started = performance.now();
  const settled = hostile.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error: String(error) }),
  );
  void settled.then(() => (done = true));
  const latencies: number[] = [];
  while (!done) {
    const t = performance.now();
    await victim.mappings.list.query({ orgId });
    latencies.push(performance.now() - t);
    if (process.env.HOSTILE_TRACE && performance.now() - t > 60)
      log(`slow probe at +${round(t - started)} ms: ${round(performance.now() - t)} ms`);
    await new Promise((r) => setTimeout(r, PROBE_GAP_MS));
  }
  const outcome = await settled;
  loop.disable();
  // The event loop's longest stall: the longest any request of the process could have waited.
  const longestStallMs = round(loop.max / 1e6);
  return { hostileMs: round(performance.now() - started), victim: stats(latencies), longestStallMs, outcome };
}

async function itemsServer(count: number): Promise<{ server: Server; url: string }> {
  const items = Array.from({ length: count }, (_, i) => ({ id: i + 1, name: `Item ${i + 1}`, slow: true }));
  const body = JSON.stringify(items);
  const server = createServer((_req, res) =>
    res.writeHead(200, { 'content-type': 'application/json' }).end(body),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export async function main(root: string, work: string) {
  mkdirSync(path.join(work, 'data'), { recursive: true });
  const database = openDatabase(`file:${path.join(work, 'data', 'concord.db')}`);
  const db = database.db;
  const users = new Map<string, SessionUser>();
  const trpc = createHTTPServer({
    router: appRouter,
    createContext: ({ req }) => ({ db, user: users.get(String(req.headers['x-bench-user'])) ?? null }),
  });
  const items = await itemsServer(200);
  try {
    const loadAtStart = loadAverage();
    await migrateDatabase(database);
    const a = await person(db, 'Hostile');
    const invite = await createInvitation(db, a.orgId, a.user.id, 'viewer');
    const viewer = await person(db, 'Viewer');
    await acceptInvitation(db, invite.token, viewer.user.id);
    const b = await person(db, 'Victim');
    for (const p of [a, viewer, b]) users.set(p.user.id, p.user);
    await new Promise<void>((resolve) => trpc.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(trpc.address() as AddressInfo).port}`;
    const victim = clientFor(url, b.user);
    await createCaller({ db, user: b.user }).mappings.create({
      orgId: b.orgId,
      name: 'Plain',
      config: { mapping: { name: 'name' } },
    });

    // Idle: B's request alone (after a warm-up).
    for (let i = 0; i < 20; i++) await victim.mappings.list.query({ orgId: b.orgId });
    const idle = await probeWhile(victim, b.orgId, new Promise((r) => setTimeout(r, 1_000)));
    log(`idle: B's request ${JSON.stringify(idle.victim)}`);

    // The hostile calls are serialised before they are timed: in a real attack that work happens in the
    // attacker's process, not in Concord's. Each case prepares its call and returns the call to time.
    const preview = (config: unknown, sample: Record<string, unknown> = { a: 1 }) => {
      const body = JSON.stringify(superjson.serialize({ orgId: a.orgId, config, sample }));
      const headers = { 'content-type': 'application/json', 'x-bench-user': viewer.user.id };
      return () =>
        fetch(`${url}/mappings.preview`, { method: 'POST', headers, body }).then(async (res) => {
          const answer = (await res.json()) as { result?: { data?: { json?: unknown } }; error?: unknown };
          return answer.result?.data?.json ?? answer.error;
        });
    };
    const bigList = { items: Array.from({ length: 50_000 }, (_, i) => ({ x: i })) };
    const loops = () => ({ mapping: keys(20, (i) => `${NESTED_LOOP}${i}`) });
    const cases: Record<string, () => () => Promise<unknown>> = {
      'preview: 20 keys, each a nested loop': () => preview(loops()),
      'preview: 20 keys, each `where` ×3 over a 50,000-item sample': () =>
        preview(
          { mapping: keys(20, () => '{{ items | where: "x" | where: "x" | where: "x" | size }}') },
          bigList,
        ),
      'preview: 20 keys, each sorting a 150,000-item range': () =>
        preview({ mapping: keys(20, (i) => `{{ (1..150000) | sort | size }}${i}`) }),
      'preview: 5 concurrent, 20 nested loops each': () => {
        const calls = Array.from({ length: 5 }, () => preview(loops()));
        return () => Promise.all(calls.map((call) => call()));
      },
      'run: 200 objects, each a nested loop': () => async () => {
        const api = createCaller({ db, user: a.user });
        const source = await api.sources.create({
          orgId: a.orgId,
          name: 'Items',
          type: 'rest',
          config: { baseUrl: items.url },
        });
        const register = await api.registers.create({ orgId: a.orgId, name: 'R' });
        const schema = await api.registers.createSchema({
          orgId: a.orgId,
          registerId: register.id,
          name: 'S',
          jsonSchema: {},
        });
        const mapping = await api.mappings.create({
          orgId: a.orgId,
          name: 'Slow',
          config: { mapping: { name: 'name', label: `{% if slow %}${NESTED_LOOP}{% endif %}` } },
        });
        const sync = await api.synchronisations.create({
          orgId: a.orgId,
          name: 'Slow items',
          sourceId: source.id,
          sourceEndpoint: '/items',
          mappingId: mapping.id,
          targetType: 'register',
          targetRegisterId: register.id,
          targetSchemaId: schema.id,
        });
        const { run } = await requestRun(db, a.orgId, sync.id, { trigger: 'manual' });
        await executeEmbedded(db, run.id, { urlPolicy: { allowPrivateNetworks: true } });
        const done = await loadRun(db, a.orgId, run.id);
        return { status: done.status, invalid: done.invalid, created: done.created, message: done.message };
      },
    };
    const results: Record<string, unknown> = {};
    // A warm process: one ordinary preview first (the first template compiled also warms liquidjs up).
    await preview({ mapping: { a: '{% for i in (1..10) %}{{ i }}{% endfor %}' } })();
    for (const [name, prepare] of Object.entries(cases)) {
      const fire = prepare();
      // Each case starts with the organisation's preview share paid back (services/preview-share.ts).
      await new Promise((r) => setTimeout(r, 1_000));
      const measured = await probeWhile(victim, b.orgId, fire());
      const waitMs = round(measured.victim.maxMs - idle.victim.medianMs);
      log(
        `${name}: took ${measured.hostileMs} ms; B's request ${JSON.stringify(measured.victim)}; longest wait ≈ ${waitMs} ms; longest event-loop stall ${measured.longestStallMs} ms`,
      );
      results[name] = { ...measured, longestExtraWaitMs: waitMs, outcome: summary(measured.outcome) };
    }
    const file = path.join(root, 'bench', 'hostile-results.json');
    log(`load average ${loadAtStart} → ${loadAverage()}`);
    writeFileSync(
      file,
      `${JSON.stringify({ date: new Date().toISOString(), machine: machine(), load: [loadAtStart, loadAverage()], idle: idle.victim, cases: results }, null, 2)}\n`,
    );
    log(`wrote ${path.relative(root, file)}`);
  } finally {
    trpc.close();
    items.server.close();
    database.client.close();
    if (!process.env.BENCH_KEEP) rmSync(work, { recursive: true, force: true });
  }
}

// The hostile call's answer, shortened: the first problem of a preview, or a run's counts.
function summary(outcome: { ok: true; value: unknown } | { ok: false; error: string }) {
  if (!outcome.ok) return outcome.error.slice(0, 200);
  if (Array.isArray(outcome.value)) {
    // Concurrent previews: how many were refused by the organisation's preview share.
    const answers = (outcome.value as unknown[]).map((value) => JSON.stringify(value));
    const refused = answers.filter((answer) => answer.includes('TOO_MANY_REQUESTS')).length;
    return `${answers.length - refused} answered, ${refused} refused; first: ${answers[0]?.slice(0, 200)}`;
  }
  return JSON.stringify(outcome.value).slice(0, 300);
}
