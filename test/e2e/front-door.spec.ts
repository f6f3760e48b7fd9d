// The web front door in Chromium against the production build: every page comes with the security
// headers (a CSP whose nonce Next puts on its scripts), renders, hydrates and reports no CSP violation;
// a weak password is refused at its field with the reason; and a form on another origin of the same
// host (which gets the SameSite=Lax session cookie) cannot upload a file version.
import { expect, test, type Page, type Response } from '@playwright/test';
import {
  createPeopleSetup,
  createPeopleSync,
  currentOrg,
  jsonServerPeer,
  mutate,
  people,
  query,
  signOut,
  signUp,
} from './helpers';

const stamp = Date.now().toString(36);
const peer = jsonServerPeer(() => ({ people: people(5) }));

/** Collects CSP violations the page reports, both as events and as console errors. */
async function watchCsp(page: Page) {
  const messages: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) messages.push(m.text());
  });
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __csp: string[] }).__csp = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(
        `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`,
      ),
    );
  });
  return async () => [
    ...messages,
    ...(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)),
  ];
}

function expectSecurityHeaders(response: Response | null, what: string) {
  const headers = response!.headers();
  const csp = headers['content-security-policy'] ?? '';
  expect(csp, what).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{16,}' 'strict-dynamic'/);
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toContain("object-src 'none'");
  expect(csp, what).not.toContain('unsafe-eval');
  expect(headers['x-frame-options'], what).toBe('DENY');
  expect(headers['x-content-type-options'], what).toBe('nosniff');
  expect(headers['referrer-policy'], what).toBe('same-origin');
  // Served over plain http here: no HSTS (it would be ignored, and would break a local install).
  expect(headers['strict-transport-security'], what).toBeUndefined();
  return csp;
}

/** React has hydrated the page: its DOM nodes carry React's fiber properties. */
async function expectHydrated(page: Page, what: string) {
  await expect
    .poll(
      () =>
        page.evaluate(() =>
          Array.from(document.querySelectorAll('body *')).some((el) =>
            Object.keys(el).some((k) => k.startsWith('__reactFiber')),
          ),
        ),
      { message: `${what} hydrates` },
    )
    .toBe(true);
}

test('every page carries the security headers, renders and hydrates without a CSP violation', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const violations = await watchCsp(page);

  const nonces = new Set<string>();
  for (const path of ['/sign-in', '/sign-up']) {
    const response = await page.goto(path);
    nonces.add(/'nonce-([^']+)'/.exec(expectSecurityHeaders(response, path))![1]!);
    await expectHydrated(page, path);
  }
  // A fresh nonce per response.
  expect(nonces.size).toBe(2);

  const dora = { name: 'Dora Door', email: `dora-${stamp}@example.test`, password: 'dora password 123' };
  await signUp(page, dora, `Door Co ${stamp}`);
  await expect(page).toHaveURL(/\/o\/door-co-/);
  const { path: org, id: orgId } = await currentOrg(page);

  // Something on every page: a source, register, schema, mapping, synchronisation, a run and contracts.
  const setup = await createPeopleSetup(page, orgId, peer.url);
  const { id: syncId } = await createPeopleSync(page, setup, {
    name: `People ${stamp}`,
    sourceEndpoint: '/people',
    sourceConfig: {},
  });
  const { runId } = await mutate<{ runId: string }>(page, 'synchronisations.run', { orgId, syncId });
  await expect
    .poll(async () => (await query<{ finishedAt: unknown }>(page, 'runs.get', { orgId, runId })).finishedAt, {
      timeout: 60_000,
    })
    .toBeTruthy();
  const contracts = await query<{ rows: { id: string }[] }>(page, 'contracts.list', { orgId, syncId });
  const contractId = contracts.rows[0]!.id;
  const invite = await mutate<{ token: string }>(page, 'members.invite', { orgId, role: 'viewer' });

  const pages = [
    '/orgs/new',
    org,
    `${org}/synchronisations`,
    `${org}/synchronisations/new`,
    `${org}/synchronisations/${syncId}`,
    `${org}/synchronisations/${syncId}/edit`,
    `${org}/synchronisations/${syncId}/contracts`,
    `${org}/sources`,
    `${org}/sources/new`,
    `${org}/sources/${setup.sourceId}`,
    `${org}/registers`,
    `${org}/registers/${setup.registerId}/schemas/new`,
    `${org}/registers/${setup.registerId}/schemas/${setup.schemaId}`,
    `${org}/mappings`,
    `${org}/mappings/new`,
    `${org}/mappings/${setup.mappingId}`,
    `${org}/logs`,
    `${org}/logs/${runId}`,
    `${org}/contracts`,
    `${org}/contracts/${contractId}`,
    `${org}/members`,
    `${org}/settings`,
    `/invite/${invite.token}`,
    '/no-such-page',
  ];
  for (const path of pages) {
    const response = await page.goto(path);
    expect(response!.status(), path).toBe(path === '/no-such-page' ? 404 : 200);
    expectSecurityHeaders(response, path);
    await expectHydrated(page, path);
    expect(await violations(), path).toEqual([]);
  }

  // API answers: nothing may load or frame them.
  const api = await page.request.get('/api/trpc/account.me');
  expect(api.headers()['content-security-policy']).toBe(
    "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  );
  expect(api.headers()['x-content-type-options']).toBe('nosniff');
  expect(api.headers()['x-frame-options']).toBe('DENY');
});

test('a weak password is refused at the password field, saying why', async ({ page }) => {
  const violations = await watchCsp(page);
  const weak = { name: 'Wes Weak', email: `wes-${stamp}@example.test`, password: '1234567890' };
  await signUp(page, weak, `Weak Co ${stamp}`);
  const problem = page.locator('#password-problem');
  await expect(problem).toHaveText(
    'This password is too easy to guess. This is a frequently used password. Add more words that are less common.',
  );
  await expect(page.getByLabel('Password')).toHaveAttribute('aria-describedby', 'password-problem');
  await expect(page).toHaveURL(/\/sign-up/);

  // A strong one goes through.
  await page.getByLabel('Password').fill('wes picks four words');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page).toHaveURL(/\/o\/weak-co-/);
  expect(await violations()).toEqual([]);
});

test('a form on another origin of the same host cannot upload a file version', async ({ page, baseURL }) => {
  const mia = { name: 'Mia Mallory', email: `mia-${stamp}@example.test`, password: 'mia password 123' };
  await signUp(page, mia, `Upload Co ${stamp}`);
  await expect(page).toHaveURL(/\/o\/upload-co-/);
  const { id: orgId } = await currentOrg(page);
  const source = await mutate<{ id: string }>(page, 'sources.create', {
    orgId,
    name: 'Uploads',
    type: 'file',
    config: { format: 'csv', csv: {} },
  });

  // Another port of the same host is the same site: the browser sends the Lax session cookie along.
  const self = new URL(baseURL!);
  const attacker = `http://${self.hostname}:${Number(self.port) + 1}/prize`;
  const target = `${self.origin}/api/orgs/${orgId}/sources/${source.id}/file`;
  await page.route(attacker, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<form method="POST" action="${target}" enctype="text/plain">
        <input name="id,name&#10;1,planted&#10;x" value="y"></form>
        <script>document.forms[0].submit()</script>`,
    }),
  );
  const answer = page.waitForResponse(target);
  await page.goto(attacker);
  const response = await answer;
  expect(response.status()).toBe(403);
  expect(await response.json()).toEqual({
    error: 'This request came from another site. Use Concord’s own pages, or an API key.',
  });
  expect(await query<unknown[]>(page, 'sources.files', { orgId, sourceId: source.id })).toEqual([]);
});

test('after signing in, a link cannot send the person to another site', async ({ page, baseURL }) => {
  const olga = { name: 'Olga Open', email: `olga-${stamp}@example.test`, password: 'olga password 123' };
  await signUp(page, olga, `Redirect Co ${stamp}`);
  await expect(page).toHaveURL(/\/o\/redirect-co-/);
  await signOut(page);
  // Browsers read `/\host` as `//host`: a link made of it used to pass as a path on this site.
  await page.goto(`/sign-in?callbackUrl=${encodeURIComponent('/\\example.invalid/phish')}`);
  await page.getByLabel('Email').fill(olga.email);
  await page.getByLabel('Password').fill(olga.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page).toHaveURL(/\/o\/redirect-co-/);
  expect(new URL(page.url()).origin).toBe(new URL(baseURL!).origin);
});
