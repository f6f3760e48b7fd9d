// Words a person understands: the messages people see — settings refused at their fields, schedules
// that do not parse, listings that stop, ids that cannot be read, connection tests that fail — name
// fields by their labels, never by Concord's internal names (or croner's), and say what to do next.
import { describe, expect, it } from 'vitest';
import { adviceFor } from '@/server/services/connection-advice';
import { issuesOf } from '@/server/services/field-issues';
import { checkSchedule, cronProblem } from '@/server/services/schedule';
import { notReadBecause, type SourceKind, type SyncSetting } from '@/server/sync/config/applicable';
import { syncSourceConfigSchema } from '@/server/sync/config/sync-config';
import { readOriginId } from '@/server/sync/core/ids';
import { describeListingProblem } from '@/server/sync/core/pagination/problems';
import { extractObjects } from '@/server/sync/core/results-position';

/** Names of code, not of the page: none may reach a person. */
const INTERNAL =
  /resultsPosition|sourceIdField|CronPattern|maxPages|testSqlConnection|dayOfWeek|sourceConfig|keyColumn|idField\b/;

function scheduleMessage(cron: string, zone = 'UTC'): string {
  try {
    checkSchedule(cron, zone);
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(`"${cron}" was accepted`);
}

const messages: [string, string][] = [];
const collect = (what: string, text: string) => messages.push([what, text]);

// Settings of a synchronisation refused at their fields.
for (const bad of [
  { sourceIdField: '' },
  { resultsPosition: 42 },
  { maxPages: 0 },
  { maxPages: 'many' },
  { sql: { keyColumn: '', pageSize: -1 } },
  { hashFields: 'x' },
]) {
  const parsed = syncSourceConfigSchema.safeParse(bad);
  if (parsed.success) throw new Error(`${JSON.stringify(bad)} was accepted`);
  for (const issue of issuesOf(parsed.error, ['sourceConfig']))
    collect(`settings ${JSON.stringify(bad)}`, issue.message);
}
// Schedules that do not parse, and a zone that is not one.
for (const cron of [
  '* * *',
  '61 * * * *',
  '0 25 * * *',
  '0 0 32 * *',
  '0 0 * 13 *',
  '0 0 * * 8',
  'abc * * * *',
  '*/0 * * * *',
  '0 0 31 2 *',
  '*/10 * * * * *',
])
  collect(`schedule ${cron}`, scheduleMessage(cron));
collect('time zone', scheduleMessage('0 6 * * *', 'Mars/Olympus'));
// Listings that stop, lists that cannot be found, ids that cannot be read.
collect('page cap', describeListingProblem({ kind: 'page-cap', page: 50, maxPages: 50 }));
for (const [body, position] of [
  [{ data: [] }, 'items'],
  [{ total: 3 }, undefined],
  [[{ id: 1 }], '_object'],
] as const) {
  const found = extractObjects(body, position);
  if (!found.ok) collect(`results ${JSON.stringify(body)}`, found.reason);
}
const id = readOriginId({ name: 'x' }, 'id');
if (!id.ok) collect('id', id.reason);
// Settings a kind of source does not read.
const kinds: SourceKind[] = [
  { type: 'rest' },
  { type: 'file', format: 'csv' },
  { type: 'register' },
  { type: 'sql' },
];
const settings: SyncSetting[] = [
  'resultsPosition',
  'maxPages',
  'pagination',
  'query',
  'headers',
  'sql',
  'objectEndpoint',
  'incremental',
];
for (const kind of kinds)
  for (const setting of settings) {
    const why = notReadBecause(kind, setting);
    if (why) collect(`${kind.type} ${setting}`, why);
  }

describe('messages shown to people', () => {
  it('were collected from every place checked', () => {
    expect(messages.length).toBeGreaterThan(30);
  });

  it.each(messages)('%s: names no internal field', (_what, text) => {
    expect(text).not.toMatch(INTERNAL);
  });

  it('say what to write instead of a schedule that does not parse', () => {
    expect(scheduleMessage('0 25 * * *')).toBe(
      'The schedule "0 25 * * *" is not a valid cron expression: the hour must be 0 to 23. Write five parts separated by spaces — minute, hour, day of the month, month, day of the week — such as 0 6 * * 1-5 (at 06:00 on weekdays).',
    );
    expect(
      cronProblem(
        "CronPattern: invalid configuration format ('* * *'), exactly five, six, or seven space separated parts are required.",
      ),
    ).toMatch(/^it does not have five parts\. Write five parts/);
    expect(scheduleMessage('0 6 * * *', 'Mars/Olympus')).toMatch(/choose one from the list/);
  });

  it('tell where to set the results position and the page cap', () => {
    const found = extractObjects({ data: [] }, 'items');
    expect(!found.ok && found.reason).toMatch(/Set the results position to one of those paths/);
    expect(describeListingProblem({ kind: 'page-cap', page: 50, maxPages: 50 })).toMatch(/raise Max pages/);
  });
});

describe('advice after a failed connection test', () => {
  it.each([
    [
      {
        reason:
          'GET http://10.0.0.5/ refused: 10.0.0.5, a private address; calls into private networks are not allowed for this source.',
      },
      /CONCORD_ALLOW_PRIVATE_URLS=1/,
    ],
    [{ status: 401, reason: 'GET … answered 401' }, /credentials/],
    [{ status: 404, reason: 'GET … answered 404' }, /base URL and the endpoint/],
    [{ status: 503, reason: 'GET … answered 503' }, /try again later/],
    [{ reason: 'The host api.nowhere.test could not be resolved (ENOTFOUND).' }, /host name/],
    [{ reason: 'The secret "token" is not set.' }, /Fill in the secret/],
    [{ reason: 'something nobody foresaw' }, /then test again/],
  ])('%o → %s', (failure, advice) => {
    expect(adviceFor(failure)).toMatch(advice);
    expect(adviceFor(failure)).not.toMatch(INTERNAL);
  });
});
