// A run's cursors leave its source without the run's secrets and come back with them as they are now
// (run/sealed-cursors.ts); how a listing ended leaves it masked.
import { describe, expect, it } from 'vitest';
import type { ListingOutcome } from '@/server/sync/core/pagination/types';
import type { SourcePage, SourcePort } from '@/server/sync/ports';
import { cursorSeal, sealingCursors } from '@/server/sync/run/sealed-cursors';

const KEY = 'k3y/with+plus=and space';
const secrets = { 'reading:query:api_key': KEY, 'reading:header:x-sig': 'sig-42' };
const forms = [KEY, encodeURIComponent(KEY), new URLSearchParams({ s: KEY }).toString().slice(2)];

describe('cursorSeal', () => {
  const seal = cursorSeal(secrets)!;

  it('replaces each form of a secret and gives the same value back', () => {
    const cursor = {
      url: `https://api.test/p?page=2&api_key=${forms[1]}&q=${forms[2]}`,
      note: `raw ${KEY}`,
      pairs: [['sig', 'sig-42']],
      page: 2,
      at: new Date(0),
    };
    const sealed = seal.seal(cursor);
    const text = JSON.stringify(sealed);
    for (const form of [...forms, 'sig-42']) expect(text).not.toContain(form);
    expect(sealed.page).toBe(2);
    expect(sealed.at).toBe(cursor.at);
    expect(seal.open(sealed)).toEqual(cursor);
  });

  it('opens with the value the secret has now', () => {
    const sealed = seal.seal({ url: `https://api.test/p?api_key=${forms[1]}` });
    const rotated = cursorSeal({ ...secrets, 'reading:query:api_key': 'new/key' })!;
    expect(rotated.open(sealed)).toEqual({ url: 'https://api.test/p?api_key=new%2Fkey' });
  });

  it('replaces a secret that holds another whole', () => {
    const nested = cursorSeal({ a: 'abcd', b: 'xxabcdxx' })!;
    const sealed = nested.seal('1 xxabcdxx 2 abcd');
    expect(sealed).not.toContain('abcd');
    expect(nested.open(sealed)).toBe('1 xxabcdxx 2 abcd');
  });

  it('refuses to open a cursor whose secret is gone, naming it', () => {
    const sealed = seal.seal({ url: `https://api.test/p?api_key=${forms[1]}` });
    expect(() => cursorSeal({ other: 'value-1' })!.open(sealed)).toThrow(/"query:api_key".*no longer set/);
  });

  it('leaves values too short to be secrets, and is not needed without secrets', () => {
    expect(cursorSeal({ pin: '123' })).toBeNull();
    expect(cursorSeal({})).toBeNull();
  });
});

describe('sealingCursors', () => {
  const url = (page: number) => `https://api.test/p?page=${page}&api_key=${forms[1]}`;
  const seen: (string | null)[] = [];
  let parsed = 0;
  const source: SourcePort<{ url: string }> = {
    systemId: 'src',
    async *pages(from) {
      await Promise.resolve();
      seen.push(from?.url ?? null);
      const page: SourcePage<{ url: string }> = {
        number: 1,
        get objects() {
          parsed += 1;
          return [{ id: 1 }];
        },
        then: { kind: 'next', cursor: { url: url(2) } },
      };
      yield page;
      const outcome: ListingOutcome = {
        complete: false,
        pages: 1,
        problem: { kind: 'loop', page: 2, url: url(1) },
      };
      yield { number: 2, objects: [], then: { kind: 'end', outcome } };
      return outcome;
    },
  };

  it('seals the cursors it hands out, opens those it is given, masks the outcome', async () => {
    const sealed = sealingCursors(source, secrets);
    const listing = sealed.pages(null);
    const first = await listing.next();
    if (first.done) throw new Error('no page');
    // A recalled page's objects stay unread until asked for.
    expect(parsed).toBe(0);
    expect(first.value.objects).toEqual([{ id: 1 }]);
    expect(parsed).toBe(1);
    const then = first.value.then;
    expect(then.kind === 'next' && JSON.stringify(then.cursor)).not.toContain(forms[1]);
    const second = await listing.next();
    if (second.done) throw new Error('no page');
    expect(JSON.stringify(second.value.then)).toContain('api_key=***');
    const end = await listing.next();
    expect(end.done && JSON.stringify(end.value)).toContain('api_key=***');

    // Given back, the cursor reaches the source as it left it.
    if (then.kind !== 'next') throw new Error('no cursor');
    await sealed.pages(then.cursor).next();
    expect(seen).toEqual([null, url(2)]);
  });
});
