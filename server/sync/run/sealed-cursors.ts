// A run's source with its cursors fit to keep at rest. Where a listing is up to is stored: each page
// step returns its cursor (the embedded runner's memo in `run_steps`, Inngest's step output) and a
// follow-on execution carries the last one (Inngest's continue event). A REST cursor is the next URL, and
// many APIs echo the whole request URL in their next link — the source's API key in its query included —
// so the key was kept there in clear, where secrets are kept only encrypted (`source_secrets`).
//
// So each cursor leaves the source with every secret value of the run replaced by a placeholder that
// names the secret, and comes back with the value the run holds now: a key rotated between an
// interruption and the resume is the new one, as the request's own `query:` parameter is. Placeholders,
// not the secret box over the whole cursor: no key is needed to read a cursor, it stays readable in a
// step's memo, each page costs a string replacement instead of an encryption, and the same holds for any
// source and either executor. Here, around the built source, and not in the core: the engine and the
// listing only ever see cursors in clear (the read-ahead follows the very URLs it fetched), and the core
// knows nothing of secrets. How a listing ended is only ever words for the log: there the values are
// masked (`***`), as the run log masks them (masked-recorder.ts).
import { Redactor } from '../http/redact';
import type { ListingOutcome } from '../core/pagination/types';
import type { SourceContinuation, SourcePage, SourcePort } from '../ports';
import type { RunSetup } from './setup';

/**
 * The secrets a run's requests may carry, by a name that stays the same when a value changes: the
 * reading requests' (the source's with the synchronisation's own over them), the source's, the target's.
 */
export function secretsByName(setup: RunSetup): Record<string, string> {
  const named: Record<string, string> = {};
  const add = (group: string, secrets: Record<string, string>) => {
    for (const [name, value] of Object.entries(secrets)) named[`${group}:${name}`] = value;
  };
  add('reading', setup.readingSecrets);
  add('source', setup.sourceSecrets);
  if (setup.target.kind !== 'register') add('target', setup.target.secrets);
  return named;
}

// A NUL cannot be in a URL (the URL parser percent-encodes it) and no API puts one in its links, so a
// placeholder cannot be met in a cursor unless this put it there.
const FORMS = ['raw', 'uri', 'form'] as const;
type Form = (typeof FORMS)[number];
const placeholder = (form: Form, name: string) => `\u0000secret:${form}:${name}\u0000`;
// eslint-disable-next-line no-control-regex -- the NUL is what sets a placeholder apart
const PLACEHOLDER = /\u0000secret:(raw|uri|form):([^\u0000]+)\u0000/g;

/** A secret's value in each form it may take in a URL (as http/redact.ts registers it). */
function formsOf(value: string): Record<Form, string> {
  return {
    raw: value,
    uri: encodeURIComponent(value),
    form: new URLSearchParams({ s: value }).toString().slice(2),
  };
}

export interface CursorSeal {
  /** The value with every secret value in its strings replaced by its placeholder. */
  seal<T>(value: T): T;
  /** The value with every placeholder replaced by its secret's value now; throws for a secret gone. */
  open<T>(value: T): T;
}

export function cursorSeal(secrets: Readonly<Record<string, string>>): CursorSeal | null {
  const byText = new Map<string, string>();
  for (const [name, value] of Object.entries(secrets)) {
    // As the run log: very short values would stand for ordinary text (page=1), and are no real secret.
    if (value.length < 4) continue;
    const forms = formsOf(value);
    for (const form of FORMS) if (!byText.has(forms[form])) byText.set(forms[form], placeholder(form, name));
  }
  if (byText.size === 0) return null;
  // One pass, longest first, so that a value holding another is replaced whole and no placeholder is
  // looked into again.
  const texts = [...byText.keys()].sort((a, b) => b.length - a.length);
  const found = new RegExp(texts.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'g');
  const sealText = (text: string) => text.replace(found, (match) => byText.get(match)!);
  const openText = (text: string) =>
    text.replace(PLACEHOLDER, (_, form: Form, name: string) => {
      const value = secrets[name];
      if (value === undefined)
        throw new Error(
          `The listing cannot go on from where it was: its next address held the secret "${name.replace(/^\w+:/, '')}", ` +
            'which is no longer set. Run the synchronisation again.',
        );
      return formsOf(value)[form];
    });
  return { seal: (value) => mapStrings(value, sealText), open: (value) => mapStrings(value, openText) };
}

/** `port`, its cursors sealed as they leave it and opened as they come back, its outcomes masked. */
export function sealingCursors<TCursor>(
  port: SourcePort<TCursor>,
  secrets: Readonly<Record<string, string>>,
): SourcePort<TCursor> {
  const sealed = cursorSeal(secrets);
  if (!sealed) return port;
  const redactor = new Redactor();
  for (const value of Object.values(secrets)) redactor.add(value);
  const masked = (outcome: ListingOutcome) => mapStrings(outcome, (text) => redactor.text(text));
  const leaving = (then: SourceContinuation<TCursor>): SourceContinuation<TCursor> =>
    then.kind === 'next'
      ? { kind: 'next', cursor: sealed.seal(then.cursor) }
      : { kind: 'end', outcome: masked(then.outcome) };

  async function* pages(
    ...[from, ...rest]: Parameters<SourcePort<TCursor>['pages']>
  ): AsyncGenerator<SourcePage<TCursor>, ListingOutcome, void> {
    const inner = port.pages(from === null ? null : sealed!.open(from), ...rest);
    try {
      for (;;) {
        const next = await inner.next();
        if (next.done) return masked(next.value);
        yield withThen(next.value, leaving(next.value.then));
      }
    } finally {
      await inner.return(undefined as never);
    }
  }
  return { ...port, pages };
}

/** The page with another `then`, its other properties as they are (a recalled page's objects are a getter). */
function withThen<TCursor>(
  page: SourcePage<TCursor>,
  then: SourceContinuation<TCursor>,
): SourcePage<TCursor> {
  const properties = Object.getOwnPropertyDescriptors(page);
  return Object.defineProperties(
    {},
    { ...properties, then: { value: then, enumerable: true } },
  ) as SourcePage<TCursor>;
}

/**
 * The value with `change` applied to each string in it, through arrays and plain objects (not to their
 * keys); anything else (a number, a Date) is kept as it is.
 */
function mapStrings<T>(value: T, change: (text: string) => string): T {
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') return change(node);
    if (Array.isArray(node)) return node.map(walk);
    if (isPlainObject(node))
      return Object.fromEntries(Object.entries(node).map(([key, inner]) => [key, walk(inner)]));
    return node;
  };
  return walk(value) as T;
}

function isPlainObject(node: unknown): node is Record<string, unknown> {
  if (node === null || typeof node !== 'object') return false;
  const proto = Object.getPrototypeOf(node) as unknown;
  return proto === Object.prototype || proto === null;
}
