// What the end-to-end specs share: people signing up, inviting and joining; the main navigation and
// screenshots; tRPC calls from the signed-in page; a json-server peer per spec file; and the REST →
// register set-up of people that several specs build through the API.
import { expect, test, type APIResponse, type Page } from '@playwright/test';
import { startJsonServer, type JsonServer } from '../integration/helpers/json-server';
import { PERSON_MAPPING } from '../integration/helpers/people';

export { PERSON_MAPPING, people } from '../integration/helpers/people';

export interface Person {
  name: string;
  email: string;
  password: string;
}

/** A full-page screenshot in test-results/screenshots/<name>.png. */
export async function shot(page: Page, name: string) {
  await page.screenshot({ path: `test-results/screenshots/${name}.png`, fullPage: true });
}

export const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

/** Opens a page of the organisation through the main navigation. */
export const nav = (page: Page, name: string) => mainNav(page).getByRole('link', { name }).click();

/** A select by the start of its label (`Source *` matches the required field's label). */
export const combobox = (page: Page, label: string) =>
  page.getByRole('combobox', { name: new RegExp(`^${label.replace(/[*]/g, '\\*')}`) });

/** The sign-up form, which also creates the person's first organisation; `beforeSubmit` runs once it is filled. */
export async function signUp(
  page: Page,
  person: Person,
  organisation: string,
  options: { beforeSubmit?: () => Promise<void> } = {},
) {
  await page.goto('/sign-up');
  await page.getByLabel('Your name').fill(person.name);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await page.getByLabel('Organisation').fill(organisation);
  await options.beforeSubmit?.();
  await page.getByRole('button', { name: 'Create account' }).click();
}

/** The sign-in form; waits for the page it leads to (the first organisation) unless told otherwise. */
export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

export async function signOut(page: Page) {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

/** On the members page: an invitation link for the role. */
export async function createInvitationLink(page: Page, role: string) {
  await page.getByLabel('Role for the invitation').selectOption(role);
  await page.getByRole('button', { name: 'Create invitation link' }).click();
  return page.getByLabel('Invitation link').inputValue();
}

/** Opens an invitation link and joins as a new account; `beforeSubmit` runs once the form is filled. */
export async function acceptInvitation(
  page: Page,
  link: string,
  person: Person,
  options: { beforeSubmit?: () => Promise<void> } = {},
) {
  await page.goto(link);
  await page.getByLabel('Your name').fill(person.name);
  await page.getByLabel('Email').fill(person.email);
  await page.getByLabel('Password').fill(person.password);
  await options.beforeSubmit?.();
  await page.getByRole('button', { name: 'Create account and join' }).click();
}

async function trpcResult<T>(res: APIResponse, path: string): Promise<T> {
  expect(res.ok(), `${path}: ${await res.text()}`).toBe(true);
  return ((await res.json()) as { result: { data: { json: T } } }).result.data.json;
}

/** A tRPC query from the signed-in page: GET, the input superjson-encoded (`{json: input}`) in `?input=`. */
export async function query<T>(page: Page, path: string, input?: unknown): Promise<T> {
  const qs = input === undefined ? '' : `?input=${encodeURIComponent(JSON.stringify({ json: input }))}`;
  return trpcResult<T>(await page.request.get(`/api/trpc/${path}${qs}`), path);
}

/** A tRPC mutation from the signed-in page: POST with the body `{json: input}`. */
export async function mutate<T>(page: Page, path: string, input: unknown): Promise<T> {
  return trpcResult<T>(await page.request.post(`/api/trpc/${path}`, { data: { json: input } }), path);
}

/** The id of the signed-in person's organisation with this slug. */
export async function orgIdOf(page: Page, slug: string) {
  const me = await query<{ organisations: { orgId: string; slug: string }[] }>(page, 'account.me');
  return me.organisations.find((o) => o.slug === slug)!.orgId;
}

/** The organisation whose page is open: its path (`/o/<slug>`), slug and id. */
export async function currentOrg(page: Page) {
  const path = new URL(page.url()).pathname;
  const slug = path.split('/')[2]!;
  return { path, slug, id: await orgIdOf(page, slug) };
}

/** A json-server started before the spec file's tests and stopped after them; `url` once started. */
export function jsonServerPeer(data: () => Record<string, unknown[]>, args: string[] = []) {
  let peer: JsonServer | undefined;
  test.beforeAll(async () => {
    peer = await startJsonServer(data(), args);
  });
  test.afterAll(async () => {
    await peer?.stop();
  });
  return {
    get url() {
      if (!peer) throw new Error('the json-server peer has not started');
      return peer.url;
    },
  };
}

export const PERSON_JSON_SCHEMA = {
  type: 'object',
  required: ['name', 'email'],
  properties: { name: { type: 'string' }, email: { type: 'string' }, city: { type: 'string' } },
};

/**
 * Through the API: a REST source "People API" at `baseUrl`, a register "Directory" with a schema
 * "Person", and a mapping "Person" (none when `mapping` is null).
 */
export async function createPeopleSetup(
  page: Page,
  orgId: string,
  baseUrl: string,
  options: { jsonSchema?: unknown; mapping?: unknown } = {},
) {
  const source = await mutate<{ id: string }>(page, 'sources.create', {
    orgId,
    name: 'People API',
    type: 'rest',
    config: { baseUrl },
  });
  const register = await mutate<{ id: string }>(page, 'registers.create', { orgId, name: 'Directory' });
  const schema = await mutate<{ id: string }>(page, 'registers.createSchema', {
    orgId,
    registerId: register.id,
    name: 'Person',
    jsonSchema: options.jsonSchema ?? PERSON_JSON_SCHEMA,
  });
  const mapping =
    options.mapping === null
      ? null
      : await mutate<{ id: string }>(page, 'mappings.create', {
          orgId,
          name: 'Person',
          config: options.mapping ?? PERSON_MAPPING,
        });
  return { orgId, sourceId: source.id, registerId: register.id, schemaId: schema.id, mappingId: mapping?.id };
}

/** Through the API: a synchronisation from the set-up's source into its schema, through its mapping. */
export async function createPeopleSync(
  page: Page,
  setup: Awaited<ReturnType<typeof createPeopleSetup>>,
  fields: { name: string; sourceEndpoint: string; sourceConfig: unknown } & Record<string, unknown>,
) {
  return mutate<{ id: string }>(page, 'synchronisations.create', {
    orgId: setup.orgId,
    sourceId: setup.sourceId,
    mappingId: setup.mappingId,
    targetType: 'register',
    targetRegisterId: setup.registerId,
    targetSchemaId: setup.schemaId,
    ...fields,
  });
}
