// writeInBatches with a scripted target: chunks of `size`, results matched by position, a refused batch
// bisected down to the object it refuses, a transient failure not split, an answer that cannot be
// matched to a create batch or read at all, a `null` (or `false`) entry and, with `errorPath`, an entry
// holding an error: not taken as written.
import { describe, expect, it } from 'vitest';
import { restBatchSchema } from '@/server/sync/config/sync-config';
import type { HttpClient, HttpRequest, HttpResult } from '@/server/sync/http';
import {
  createWithoutResult,
  updateWithoutResult,
  writeInBatches,
  type BatchItem,
} from '@/server/sync/targets/rest-batch-endpoint';

const ok = (body: unknown): HttpResult => ({
  ok: true,
  status: 200,
  statusText: 'OK',
  headers: {},
  body,
  text: JSON.stringify(body),
  bytes: Buffer.from(JSON.stringify(body)),
  format: 'json',
  url: '',
  displayUrl: '',
  attempts: 1,
});
const failed = (status: number, reason: string): HttpResult => ({
  ok: false,
  kind: 'http',
  status,
  reason,
  attempts: 1,
});

/** A target that answers each batch with `answer(items)`; `sent` records each batch's item names. */
function scripted(answer: (items: { name: string }[]) => HttpResult) {
  const sent: string[][] = [];
  const client: HttpClient = {
    send: (request: HttpRequest) => {
      const items = (request.body as { items: { name: string }[] }).items;
      sent.push(items.map((item) => item.name));
      return Promise.resolve(answer(items));
    },
    fetch: () => Promise.reject(new Error('not used')),
    fetchUnread: () => Promise.reject(new Error('not used')),
    close: () => Promise.resolve(),
  };
  return { client, sent };
}

const items = (...names: string[]): BatchItem[] =>
  names.map((name) => ({ originId: `o-${name}`, body: { name }, key: `k-${name}` }));
const config = restBatchSchema.parse({
  createEndpoint: '/b',
  itemsKey: 'items',
  resultsPath: 'results',
  size: 4,
});
const write = { endpoint: '/b', method: 'POST', config, needsEntries: true };

describe('writeInBatches', () => {
  it('sends `size` at a time and matches the answer’s results by position', async () => {
    const { client, sent } = scripted((batch) => ok({ results: batch.map((b) => ({ id: `id-${b.name}` })) }));
    const outcome = await writeInBatches(client, items('a', 'b', 'c', 'd', 'e'), write);
    expect(sent).toEqual([['a', 'b', 'c', 'd'], ['e']]);
    expect(outcome.outcomes.map((o) => o.kind === 'written' && o.entry)).toEqual(
      ['a', 'b', 'c', 'd', 'e'].map((n) => ({ id: `id-${n}` })),
    );
  });

  it('bisects a refused batch until the bad object stands alone, and rejects only it', async () => {
    const { client, sent } = scripted((batch) =>
      batch.some((b) => b.name === 'c')
        ? failed(422, 'c is not acceptable')
        : ok({ results: batch.map((b) => ({ id: b.name })) }),
    );
    const outcome = await writeInBatches(client, items('a', 'b', 'c', 'd'), write);
    expect(sent).toEqual([['a', 'b', 'c', 'd'], ['a', 'b'], ['c', 'd'], ['c'], ['d']]);
    expect(outcome.outcomes.map((o) => o.kind)).toEqual(['written', 'written', 'failed', 'written']);
    expect(outcome.outcomes[2]).toMatchObject({ http: { status: 422, reason: 'c is not acceptable' } });
  });

  it('does not split a transient failure: the whole batch is failed, to be sent again', async () => {
    const { client, sent } = scripted(() => failed(503, 'busy'));
    const outcome = await writeInBatches(client, items('a', 'b', 'c'), write);
    expect(sent).toEqual([['a', 'b', 'c']]);
    expect(outcome.outcomes.every((o) => o.kind === 'failed')).toBe(true);
    expect(outcome.outage).toBeNull();
  });

  it('cannot match a create batch whose answer lists fewer results, and says so', async () => {
    const { client } = scripted(() => ok({ results: [{ id: 1 }] }));
    const outcome = await writeInBatches(client, items('a', 'b'), write);
    expect(outcome.outcomes[0]).toEqual({
      kind: 'unmatched',
      reason: expect.stringContaining('lists 1 result for 2 objects') as string,
    });
    // Updates need no entries: a 2xx is enough.
    const updated = await writeInBatches(client, items('a', 'b'), { ...write, needsEntries: false });
    expect(updated.outcomes.map((o) => o.kind)).toEqual(['written', 'written']);
  });

  it('never splits a batch the target took with an answer it cannot read: each half would land again', async () => {
    const unread: HttpResult = {
      ok: false,
      kind: 'unparseable',
      status: 201,
      reason: 'POST /batch answered 201 Created with a body that is not valid JSON',
      attempts: 1,
      unreadBody: { contentType: 'text/html', start: '<html>Accepted</html>' },
    };
    const { client, sent } = scripted(() => unread);
    const outcome = await writeInBatches(client, items('a', 'b', 'c'), write);
    expect(sent).toEqual([['a', 'b', 'c']]);
    expect(outcome.outcomes[0]).toEqual({
      kind: 'unmatched',
      reason: expect.stringContaining(
        'answered 201 but its answer is a body Concord could not read (content-type text/html, starting "<html>Accepted</html>")',
      ) as string,
    });
    const updated = await writeInBatches(client, items('a', 'b'), { ...write, needsEntries: false });
    expect(updated.outcomes.map((o) => o.kind)).toEqual(['written', 'written']);
  });

  it('does not take a `null` or `false` entry as written, for creates and updates; any other entry is', async () => {
    const { client } = scripted(() => ok({ results: [{ id: 1 }, null, false, 0] }));
    const kinds = ['written', 'empty', 'empty', 'written'];
    const created = await writeInBatches(client, items('a', 'b', 'c', 'd'), write);
    expect(created.outcomes.map((o) => o.kind)).toEqual(kinds);
    expect(created.outcomes[1]).toEqual({ kind: 'empty', status: 200, entry: null });
    expect(created.outcomes[2]).toEqual({ kind: 'empty', status: 200, entry: false });
    const updated = await writeInBatches(client, items('a', 'b', 'c', 'd'), {
      ...write,
      needsEntries: false,
    });
    expect(updated.outcomes.map((o) => o.kind)).toEqual(kinds);
  });

  it('fails an update answered `null` as transient, and a create so answered as one that may exist', () => {
    const empty = { kind: 'empty', status: 200, entry: null } as const;
    const said = 'The batch endpoint answered 200 but no result for this object (its entry is `null`)';
    expect(updateWithoutResult('o-b', empty)).toEqual({
      originId: 'o-b',
      ok: false,
      transient: true,
      reason: expect.stringContaining(
        `${said}: it did not say it wrote it, so it is not counted as updated.`,
      ) as string,
    });
    expect(updateWithoutResult('o-b', empty).reason).toContain('It is sent again next run.');
    expect(createWithoutResult('o-b', { ...empty, entry: false }, 'its match field `email`')).toEqual({
      originId: 'o-b',
      ok: false,
      transient: true,
      mayExist: true,
      reason: expect.stringContaining(
        'its entry is `false`): it did not say it created it, nor under which id.',
      ) as string,
    });
    // Without a way to look it up, it is not sent blindly again (a second copy), as any unconfirmed create.
    const unaskable = createWithoutResult('o-b', empty, null);
    expect(unaskable).not.toHaveProperty('transient');
    expect(unaskable.reason).toContain('not sent again until it changes');
  });

  it('with an error path, refuses an entry holding an error there, and takes one holding none as written', async () => {
    const answers = [
      { id: 1 },
      { id: 2, error: null },
      { id: 3, error: '' },
      { id: 4, errors: [] },
      { id: 5, error: 'not found' },
      { id: 6, error: { code: 'E_LOCKED', message: 'locked' } },
      { id: 7, errors: [{ message: 'bad email' }] },
      'ok',
    ];
    const { client } = scripted((batch) => ok({ results: batch.map((b) => answers[Number(b.name)]) }));
    const names = answers.map((_, i) => String(i));
    const outcomeOf = async (errorPath: string) =>
      (
        await writeInBatches(client, items(...names), {
          ...write,
          config: { ...config, size: 10, errorPath },
        })
      ).outcomes;
    const byError = await outcomeOf('error');
    expect(byError.map((o) => o.kind)).toEqual([
      'written',
      'written',
      'written',
      'written',
      'refused',
      'refused',
      'written',
      'written',
    ]);
    expect(byError[4]).toEqual({
      kind: 'refused',
      reason:
        'The batch endpoint answered 200 with an error for this object at `error`: not found. It was not written; it is sent again when it changes or is re-synced.',
    });
    expect(byError[5]).toMatchObject({
      reason: expect.stringContaining(
        ': {"code":"E_LOCKED","message":"locked"}. It was not written',
      ) as string,
    });
    // A list of errors is one when it holds any: an empty list is what a written object's entry carries.
    expect((await outcomeOf('errors')).map((o) => o.kind)).toEqual([
      'written',
      'written',
      'written',
      'written',
      'written',
      'written',
      'refused',
      'written',
    ]);
    // Without one, only null and false say "not written".
    const { client: plain } = scripted(() => ok({ results: [{ error: 'not found' }, null] }));
    const unset = await writeInBatches(plain, items('a', 'b'), write);
    expect(unset.outcomes.map((o) => o.kind)).toEqual(['written', 'empty']);
  });
});
