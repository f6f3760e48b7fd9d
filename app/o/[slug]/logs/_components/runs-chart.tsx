'use client';
// The recent finished runs at a glance: objects by action per run (stacked bars) and how long each took
// (a line on its own axis). A bar opens that run's log.
import { useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import {
  Bar,
  CartesianGrid,
  ComposedChart,
  Legend,
  Line,
  Rectangle,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
  type BarShapeProps,
} from 'recharts';
import { Card, ErrorText, Loading, Select } from '@/app/_components/ui';
import { formatCount, formatDuration } from '@/app/_lib/format';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage, useTRPC } from '@/app/_lib/trpc';
import { COUNT_COLOURS, COUNT_KEYS, COUNT_LABELS, countKeysFor, countLabel, shortTime } from './run-labels';

const SIZES = [10, 30, 60] as const;
// Legend and tooltip in the order of the actions, not alphabetical.
const ORDER: readonly string[] = [...COUNT_KEYS, 'seconds'];
const byOrder = (item: { dataKey?: unknown }) => ORDER.indexOf(String(item.dataKey));
// A test run's bars are pale: what it would have done, not what it did.
const plannedShape = (props: BarShapeProps) => (
  <Rectangle {...props} fillOpacity={(props.payload as { test?: boolean } | undefined)?.test ? 0.35 : 1} />
);

export function RunsChart({ syncId }: { syncId: string | null }) {
  const trpc = useTRPC();
  const org = useOrg();
  const router = useRouter();
  const [limit, setLimit] = useState<number>(30);
  const stats = useQuery(
    trpc.runs.stats.queryOptions({ orgId: org.orgId, syncId: syncId ?? undefined, limit }),
  );
  const data = (stats.data ?? []).map((r) => ({
    ...r,
    label: `${shortTime(r.startedAt)}${r.test ? ' (test run, planned)' : ''}`,
    seconds: r.durationMs === null ? null : r.durationMs / 1000,
  }));
  const anyTest = data.some((r) => r.test);
  const keys = countKeysFor(data);

  return (
    <Card
      title="Recent runs"
      actions={
        <Select
          aria-label="Runs in the chart"
          value={limit}
          onChange={(e) => setLimit(Number(e.target.value))}
        >
          {SIZES.map((n) => (
            <option key={n} value={n}>
              Last {n} runs
            </option>
          ))}
        </Select>
      }
    >
      <ErrorText>{stats.error ? errorMessage(stats.error) : null}</ErrorText>
      {stats.isPending ? (
        <Loading what="the chart" />
      ) : data.length === 0 ? (
        <p className="text-sm text-slate-500">The chart appears once a run has finished.</p>
      ) : (
        <div className="h-64 w-full" data-testid="runs-chart">
          <ResponsiveContainer width="100%" height="100%">
            <ComposedChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" stroke="#e2e8f0" />
              <XAxis dataKey="label" tick={{ fontSize: 11 }} minTickGap={16} />
              <YAxis yAxisId="objects" tick={{ fontSize: 11 }} allowDecimals={false} width={48} />
              <YAxis yAxisId="seconds" orientation="right" tick={{ fontSize: 11 }} width={48} unit=" s" />
              <Tooltip
                itemSorter={byOrder}
                formatter={(value, name, item) => {
                  if (name === 'Duration') return formatDuration(Number(value) * 1000);
                  // A test run's bars are what it would have done.
                  const row = (item as { payload?: (typeof data)[number] }).payload;
                  const key = COUNT_KEYS.find((k) => COUNT_LABELS[k] === name);
                  const label = key && row?.test ? countLabel(key, true) : name;
                  return [formatCount(Number(value)), label];
                }}
                labelFormatter={(_label, payload) => {
                  const row = payload?.[0]?.payload as (typeof data)[number] | undefined;
                  return row ? `${row.syncName} · ${row.label}` : '';
                }}
              />
              <Legend wrapperStyle={{ fontSize: 12 }} itemSorter={byOrder} />
              {keys.map((key) => (
                <Bar
                  key={key}
                  yAxisId="objects"
                  dataKey={key}
                  name={COUNT_LABELS[key]}
                  stackId="objects"
                  fill={COUNT_COLOURS[key]}
                  isAnimationActive={false}
                  maxBarSize={48}
                  cursor="pointer"
                  onClick={(entry) => {
                    const id = (entry as { payload?: { id?: string } }).payload?.id;
                    if (id) router.push(`/o/${org.slug}/logs/${id}`);
                  }}
                  shape={plannedShape}
                />
              ))}
              <Line
                yAxisId="seconds"
                type="monotone"
                dataKey="seconds"
                name="Duration"
                stroke="#0f172a"
                strokeWidth={2}
                dot={{ r: 3 }}
                isAnimationActive={false}
              />
            </ComposedChart>
          </ResponsiveContainer>
        </div>
      )}
      {anyTest && (
        <p className="mt-2 text-xs text-slate-500" data-testid="chart-test-note">
          Pale bars are test runs: what they would have done. A test run writes nothing.
        </p>
      )}
    </Card>
  );
}
