// Conflicts a person resolved: the version they chose (or merged field by field) is written to both
// sides at the start of the next run, through the same writes as any two-way decision, and the conflict
// is marked applied. `merged: null` deletes the object on both sides — unless the synchronisation now
// deletes nothing (its policy changed after the person chose): the resolution is then held, still
// "resolving", so the person can choose again or the policy change back; it is not marked applied
// with nothing done.
import { hashValue } from '../core/canonical-json';
import type { PairDecision } from '../core/decide';
import { carryOut, type Pair, type TwoWayContext, type TwoWayPorts } from './pairs';
import { addTally, emptyTally, type SideTally } from './tally';
import type { RunEntry, RunRecorder } from '../ports';
import type { RegisterSide } from './register-side';

export async function applyResolutions(
  ctx: TwoWayContext,
  ports: TwoWayPorts & { readonly side: RegisterSide; readonly recorder: RunRecorder },
): Promise<SideTally> {
  let tally = emptyTally();
  // What each write did, for the run's log like any page's (one batch: a retried step writes it again).
  const entries: RunEntry[] = [];
  const allow = { register: true, source: true };
  for (const resolution of await ports.pairs.resolutions()) {
    // Its object stays in conflict, so the run's summary still says a conflict waits for a person.
    if (resolution.merged === null && ctx.deletionPolicy === 'none') continue;
    const contract = (await ports.pairs.byOriginIds([resolution.originId])).get(resolution.originId) ?? null;
    const targetId = contract?.targetId ?? resolution.targetId;
    const readTarget = async (id: string | null = targetId) =>
      id ? ((await ports.side.byIds([id])).get(id) ?? null) : null;
    const readSource = async () =>
      (await ports.writeBack.readBack([resolution.originId]).catch(() => new Map())).get(
        resolution.originId,
      ) as Record<string, unknown> | undefined;
    const merged = resolution.merged;
    const target = await readTarget();
    const source = (await readSource()) ?? null;
    const base: Pair = {
      originId: resolution.originId,
      source,
      sourceHash: source ? hashValue(source) : null,
      mapped: merged,
      mappedHash: merged ? hashValue(merged) : null,
      contract,
      target,
    };
    // The register first: then the source is written from what the register now holds.
    const first: PairDecision = merged
      ? { do: 'to-target', create: target === null, why: 'conflict-settled' }
      : target
        ? { do: 'delete-target', why: 'conflict-settled' }
        : { do: 'nothing', why: 'both-gone' };
    const one = await carryOut(ctx, ports, [{ pair: base, decision: first }], 0, allow);
    tally = addTally(tally, one.tally);
    entries.push(...one.entries);
    const after = (await ports.pairs.byOriginIds([resolution.originId])).get(resolution.originId) ?? contract;
    // Read under the id the contract names now: an object deleted for good comes back as a new one.
    const written = await readTarget(after?.targetId ?? targetId);
    const second: PairDecision = merged
      ? { do: 'to-source', create: source === null, why: 'conflict-settled' }
      : source
        ? { do: 'delete-source', why: 'conflict-settled' }
        : { do: 'nothing', why: 'both-gone' };
    const two = await carryOut(
      ctx,
      ports,
      [
        {
          pair: { ...base, originId: source ? resolution.originId : null, contract: after, target: written },
          decision: second,
        },
      ],
      0,
      allow,
    );
    tally = addTally(tally, two.tally);
    entries.push(...two.entries);
    await ports.pairs.markApplied(resolution.id, ctx.runId);
  }
  if (entries.length > 0) await ports.recorder.entries('resolutions', entries);
  return tally;
}
