// The mapping test bench is open to viewers, and every object of a run is mapped: all templates of a
// mapping share one small time budget per object or preview, and a mapping's size is bounded when saved
// (issue 9: twenty nested loops in one preview held every request of every organisation for 20 s).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_MAPPING_KEYS } from '@/server/sync/core/mapping/config';
import { callerFor, createMember } from '../factories';
import { failure, ownerApi, type OwnerApi } from './helpers/owner-api';
import { newOrg } from './helpers/sync-more';

const NESTED_LOOP = '{% for a in (1..100000) %}{% for b in (1..100000) %}{{ a }}{% endfor %}{% endfor %}';
const hostile = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, `${NESTED_LOOP}${i}`]));

let s: OwnerApi;

beforeAll(async () => {
  s = await ownerApi();
});
afterAll(() => s.db.close());

describe('mapping budget', () => {
  it("a viewer's preview of twenty nested loops ends with one problem that names the budget", async () => {
    const { db, orgId, owner } = s;
    const viewer = callerFor(db.db, await createMember(db.db, orgId, owner.user.id, 'viewer'));
    const preview = await viewer.mappings.preview({ orgId, config: { mapping: hostile }, sample: { a: 1 } });
    expect(preview).toEqual({
      ok: false,
      problems: [
        {
          key: 'mapping.k0',
          message: expect.stringMatching(
            /^The templates ran out of time: all templates of a mapping get 40 ms per object together/,
          ),
        },
      ],
    });
  });

  it('refuses an organisation that fires slow previews back to back for a moment, not the others', async () => {
    const { api, orgId } = await newOrg(s.db.db);
    const other = await newOrg(s.db.db);
    const outcomes: string[] = [];
    // Each takes its whole budget (40 ms or more): the second right behind the first already waits.
    for (let i = 0; i < 8; i++) {
      const config = { mapping: { [`k${i}`]: NESTED_LOOP } };
      outcomes.push(
        await api.mappings.preview({ orgId, config, sample: {} }).then(
          () => 'answered',
          (error: Error) => error.message,
        ),
      );
    }
    expect(outcomes[0]).toBe('answered');
    expect(outcomes.filter((o) => o !== 'answered')[0]).toMatch(
      /^This organisation's previews took more time than they may use at once; try again in \d+ s\.$/,
    );
    const plain = { mapping: { name: '{{ name | upcase }}' } };
    expect(
      await other.api.mappings.preview({ orgId: other.orgId, config: plain, sample: { name: 'b' } }),
    ).toEqual({
      ok: true,
      result: { name: 'B' },
      missing: [],
    });
  });

  it('saves the same mapping (its objects will be invalid in a run) but not one with too many keys', async () => {
    const { api, orgId } = s;
    await api.mappings.create({ orgId, name: 'Slow', config: { mapping: hostile } });
    const tooMany = Object.fromEntries(
      Array.from({ length: MAX_MAPPING_KEYS + 1 }, (_, i) => [`k${i}`, 'a']),
    );
    expect(await failure(api.mappings.create({ orgId, name: 'Wide', config: { mapping: tooMany } }))).toEqual(
      {
        code: 'BAD_REQUEST',
        message: `The mapping is invalid: mapping: A mapping can have at most ${MAX_MAPPING_KEYS} mapped keys`,
        field: 'mapping',
      },
    );
  });

  // One key `x[50000000]` made every object a list of 50 million empty places: 80 s of hashing per object,
  // holding the process, then that list written; a key 30,000 levels deep failed every object and the
  // bench with a stack overflow. Refused when saved, at the key.
  it('refuses an output key that builds a list of millions of places or nests past the limit', async () => {
    const { api, orgId } = s;
    expect(
      await failure(
        api.mappings.create({ orgId, name: 'Long', config: { mapping: { 'x[50000000]': 'a' } } }),
      ),
    ).toEqual({
      code: 'BAD_REQUEST',
      message:
        'The mapping is invalid: mapping.x[50000000]: A mapping writes list positions up to 9,999; this key writes at 50,000,000',
      field: 'mapping.x[50000000]',
    });
    const deep = Array.from({ length: 30_000 }, () => 'a').join('.');
    expect(
      await failure(api.mappings.create({ orgId, name: 'Deep', config: { mapping: { [deep]: 'a' } } })),
    ).toEqual({
      code: 'BAD_REQUEST',
      message: `The mapping is invalid: mapping.${deep}: The output key is nested deeper than 200 levels, the most Concord reads`,
      field: `mapping.${deep}`,
    });
    // What a real mapping writes is kept: a few list positions, a few levels.
    await api.mappings.create({
      orgId,
      name: 'Lines',
      config: { mapping: { 'lines[2].sku': 'a', 'a.b.c.d': 'b' } },
    });
  });
});
