// Selected ids as a source: pages of ids with a resumable cursor, a wrong answer ending the listing
// incomplete (so nothing is deleted), the filtered listing keeping objects without a readable id, the
// deletion restriction, and the loop named when follow-ups would run in a circle.
import { describe, expect, it } from 'vitest';
import { findLoop } from '@/server/services/follow-ups';
import { settingsNotRead } from '@/server/sync/config/applicable';
import type { SourcePage, SourcePort } from '@/server/sync/ports';
import { idsStatement } from '@/server/sync/sources/sql-dialects';
import {
  deletableIds,
  filteredToIds,
  idBatchSource,
  type BatchAnswer,
  type IdCursor,
} from '@/server/sync/sources/selected-ids';

async function drain<T>(port: SourcePort<T>, from: T | null = null) {
  const pages: SourcePage<T>[] = [];
  const gen = port.pages(from);
  for (;;) {
    const next = await gen.next();
    if (next.done) return { pages, outcome: next.value };
    pages.push(next.value);
  }
}

const asked: string[][] = [];
const byId = (answer?: (ids: readonly string[]) => BatchAnswer) =>
  idBatchSource({
    systemId: 'src_1',
    ids: ['1', '2', '3', '4', '5'],
    batchSize: 2,
    idField: 'id',
    label: 'https://api.example.test/items/{{id}}',
    fetchBatch: (ids) => {
      asked.push([...ids]);
      return Promise.resolve(
        answer?.(ids) ?? {
          ok: true,
          objects: ids.filter((id) => id !== '4').map((id) => ({ id: Number(id) })),
        },
      );
    },
  });

describe('a source of selected ids', () => {
  it('asks for the ids a batch at a time and ends complete; a missing id is simply absent', async () => {
    asked.length = 0;
    const { pages, outcome } = await drain(byId());
    expect(asked).toEqual([['1', '2'], ['3', '4'], ['5']]);
    expect(pages.map((p) => p.objects.length)).toEqual([2, 1, 1]);
    expect(pages[0]!.then).toEqual({ kind: 'next', cursor: { kind: 'ids', next: 2, page: 2 } });
    expect(outcome).toEqual({ complete: true, pages: 3 });
  });

  it('resumes from a cursor', async () => {
    asked.length = 0;
    const from: IdCursor = { kind: 'ids', next: 4, page: 3 };
    const { pages } = await drain(byId(), from);
    expect(asked).toEqual([['5']]);
    expect(pages.map((p) => p.number)).toEqual([3]);
  });

  it('ends incomplete when the source answers with an id nobody asked for, or fails', async () => {
    const wrong = await drain(byId((ids) => ({ ok: true, objects: ids.map((id) => ({ id: `x${id}` })) })));
    expect(wrong.outcome).toMatchObject({
      complete: false,
      problem: { message: expect.stringContaining('"x1"') },
    });
    expect(wrong.pages).toEqual([]);
    const failed = await drain(byId(() => ({ ok: false, message: 'The server answered 500.' })));
    expect(failed.outcome).toMatchObject({ complete: false, pages: 0, problem: { page: 1 } });
  });
});

describe('a listing filtered to the selected ids', () => {
  it('keeps the selected objects and those whose id cannot be read', async () => {
    const listing: SourcePort<null> = {
      systemId: 'src_1',
      async *pages() {
        await Promise.resolve();
        yield {
          number: 1,
          objects: [{ id: 1 }, { id: 2 }, { name: 'no id' }, { id: 3 }],
          then: { kind: 'end', outcome: { complete: true, pages: 1 } },
        };
        return { complete: true, pages: 1 };
      },
    };
    const { pages, outcome } = await drain(filteredToIds(listing, new Set(['3', '1']), 'id'));
    expect(pages[0]!.objects).toEqual([{ id: 1 }, { name: 'no id' }, { id: 3 }]);
    expect(outcome).toEqual({ complete: true, pages: 1 });
  });
});

describe('what deletion may consider', () => {
  it('is the selection, within restrictDeletion when both are set', () => {
    expect(deletableIds(null, [])).toBeNull();
    expect(deletableIds(['a'], [])).toEqual(['a']);
    expect(deletableIds(null, ['a', 'b'])).toEqual(['a', 'b']);
    expect(deletableIds(['a', 'c'], ['a', 'b'])).toEqual(['a']);
  });
});

describe('a loop of follow-ups', () => {
  it('is found from the synchronisation being saved, shortest first', () => {
    const next = new Map([
      ['a', ['b', 'x']],
      ['b', ['c']],
      ['c', ['a']],
      ['x', ['a']],
    ]);
    expect(findLoop('a', next)).toEqual(['a', 'x', 'a']);
    expect(findLoop('c', next)).toEqual(['c', 'a', 'b', 'c']);
    expect(findLoop('a', new Map([['a', ['a']]]))).toEqual(['a', 'a']);
    expect(
      findLoop(
        'a',
        new Map([
          ['a', ['b']],
          ['b', ['c']],
        ]),
      ),
    ).toBeNull();
  });
});

describe('the statement that reads selected ids', () => {
  it('binds every id as a parameter, over a table or a query', () => {
    const table = { kind: 'table', parts: ['crm', 'people'] } as const;
    expect(idsStatement('postgres', table, 'id', 3)).toBe(
      'SELECT * FROM "crm"."people" WHERE "id" IN ($1, $2, $3) ORDER BY "id"',
    );
    const query = { kind: 'query', sql: 'SELECT * FROM people' } as const;
    expect(idsStatement('mysql', query, 'id', 2)).toBe(
      'SELECT * FROM (SELECT * FROM people\n) q WHERE `id` IN (?, ?) ORDER BY `id`',
    );
    expect(() => idsStatement('mysql', table, 'id', 0)).toThrow(/positive whole number/);
  });
});

describe('where the path of one object applies', () => {
  it('is read by REST sources only; selected ids by every source', () => {
    const given = { objectEndpoint: '/items/{{id}}', selectedIds: ['1'] };
    expect(settingsNotRead({ type: 'rest' }, given)).toEqual([]);
    for (const kind of [{ type: 'sql' }, { type: 'register' }, { type: 'file', format: 'csv' }] as const)
      expect(settingsNotRead(kind, given)).toEqual([
        { field: 'sourceConfig.objectEndpoint', message: expect.stringContaining('only to REST sources') },
      ]);
  });
});
