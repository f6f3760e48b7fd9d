'use client';
// Creating or editing a synchronisation: every engine field, in sections. A refusal is shown at the
// top and each of its problems beside the field it names (the form's own checks, or the API's issues).
import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { useRef, useState, type FormEvent } from 'react';
import { Button, ErrorText, Loading } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorIssues, errorMessage, useTRPC } from '@/app/_lib/trpc';
import { problemsAt } from '@/app/_lib/field-errors';
import { readsSetting, sourceKindOf, twoWayPossible, type SourceKind } from '@/server/sync/config/applicable';
import type { SectionProps, SyncFormState } from '../_lib/form-state';
import { isTwoWay, toInput, type FieldProblem } from '../_lib/to-input';
import { useLookups } from '../_lib/use-lookups';
import { DeletionSection } from './deletion-section';
import { IncrementalSection } from './incremental-section';
import { MappingSection } from './mapping-section';
import { GeneralSection, RetentionSection } from './options-section';
import { FollowUpSection } from './follow-up-section';
import { ScheduleSection } from './schedule-section';
import { SelectionSection } from './selection-section';
import { SourceSection } from './source-section';
import { TargetSection } from './target-section';
import { TwoWaySection } from './two-way-section';

interface Props {
  initial: SyncFormState;
  /** Editing this synchronisation; creating a new one when absent. */
  syncId?: string;
  /** The contracts the synchronisation being edited keeps: a new id field re-keys them on save. */
  contractsKept?: number;
}

export function SyncForm({ initial, syncId, contractsKept = 0 }: Props) {
  const trpc = useTRPC();
  const org = useOrg();
  const router = useRouter();
  const queryClient = useQueryClient();
  const lookups = useLookups();
  const top = useRef<HTMLDivElement>(null);
  const [state, setState] = useState(initial);
  const [local, setLocal] = useState<FieldProblem | null>(null);
  const base = `/o/${org.slug}/synchronisations`;

  const saved = async (row: { id: string }) => {
    await queryClient.invalidateQueries({ queryKey: trpc.synchronisations.pathKey() });
    router.push(`${base}/${row.id}`);
  };
  const create = useMutation(trpc.synchronisations.create.mutationOptions({ onSuccess: saved }));
  const update = useMutation(trpc.synchronisations.update.mutationOptions({ onSuccess: saved }));
  const mutation = syncId ? update : create;
  const problems: FieldProblem[] = local ? [local] : errorIssues(mutation.error);

  const chosen = lookups.sources.find((s) => s.id === state.sourceId);
  const kind: SourceKind = chosen ? sourceKindOf(chosen) : { type: 'rest' };
  const sqlTarget =
    state.targetType === 'source' &&
    lookups.sources.find((s) => s.id === state.targetSourceId)?.type === 'sql';
  const twoWay = isTwoWay(state, kind);
  const section: SectionProps = {
    state,
    kind,
    set: (patch) => {
      setState((current) => ({ ...current, ...patch }));
      setLocal(null);
    },
    errorFor: (...keys) => problemsAt(problems, keys),
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    const converted = toInput(state, kind, sqlTarget);
    if (!converted.ok) {
      setLocal(converted.problem);
      top.current?.scrollIntoView({ behavior: 'smooth' });
      return;
    }
    setLocal(null);
    const onError = () => top.current?.scrollIntoView({ behavior: 'smooth' });
    if (syncId) update.mutate({ orgId: org.orgId, syncId, ...converted.input }, { onError });
    else create.mutate({ orgId: org.orgId, ...converted.input }, { onError });
  }

  if (lookups.isPending) return <Loading what="sources, registers and mappings" />;
  return (
    <form onSubmit={submit} className="space-y-5" noValidate={false}>
      <div ref={top} className="scroll-mt-4">
        <ErrorText>{lookups.error ? errorMessage(lookups.error) : null}</ErrorText>
        <ErrorText>
          {problems.length ? `Not saved: ${problems.map((p) => p.message).join(' ')}` : null}
        </ErrorText>
      </div>
      <GeneralSection {...section} />
      <SourceSection
        {...section}
        sources={lookups.sources}
        saved={syncId ? { sourceId: initial.sourceId, idField: initial.sourceIdField, contractsKept } : null}
      />
      {readsSetting(kind, 'incremental') && !twoWay && <IncrementalSection {...section} />}
      <MappingSection {...section} mappings={lookups.mappings} />
      <TargetSection
        {...section}
        registers={lookups.registers}
        sources={lookups.sources}
        mappings={lookups.mappings}
      />
      {twoWayPossible(kind, state.targetType) && <TwoWaySection {...section} mappings={lookups.mappings} />}
      <DeletionSection {...section} sqlTarget={sqlTarget} twoWay={twoWay} />
      <SelectionSection {...section} />
      <ScheduleSection {...section} />
      <FollowUpSection {...section} syncId={syncId} />
      <RetentionSection {...section} />
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={mutation.isPending}>
          {mutation.isPending ? 'Saving…' : syncId ? 'Save changes' : 'Create synchronisation'}
        </Button>
        <Link href={syncId ? `${base}/${syncId}` : base} className="text-sm text-slate-600 hover:underline">
          Cancel
        </Link>
        {syncId && (
          <span className="text-xs text-slate-500">
            Saving a change makes the next run check every object again.
          </span>
        )}
      </div>
    </form>
  );
}
