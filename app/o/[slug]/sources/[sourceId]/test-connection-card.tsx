'use client';
// The frame of a saved source's connection test, for REST (test-connection.tsx) and SQL
// (sql-test-connection.tsx) alike: a test makes Concord reach out with the saved settings, so only
// editors get the form and everyone else is told why; the button says when the test is running, and
// its answer (the error, or the result) is announced where it appears. The two differ only in their
// fields, their words and how they show a result, which they pass in — the frame is written once so
// that both tests look and behave the same.
import type { FormEvent, ReactNode } from 'react';
import { Button, Card, ErrorText, Notice } from '@/app/_components/ui';
import { useOrg } from '@/app/_lib/org-context';
import { errorMessage } from '@/app/_lib/trpc';

/** The test's mutation, as far as the frame uses it: every test names the organisation and the source. */
interface SourceTest<Fields> {
  mutate(input: { orgId: string; sourceId: string } & Fields): void;
  isPending: boolean;
  error: unknown;
}

interface Props<Fields> {
  sourceId: string;
  test: SourceTest<Fields>;
  /** Shown instead of the form to those who may not test: what a test would make Concord do. */
  editorsOnly: string;
  /** Above the fields: what the test does. */
  intro: ReactNode;
  /** The test's optional fields, laid out. */
  fields: ReactNode;
  /** What the fields hold when the test is asked for (a field left empty is left out). */
  input: () => Fields;
  /** The answer's box: an SQL result takes its small text from it, a REST result sets its own. */
  answerClassName: string;
  /** The result, once there is one. */
  children: ReactNode;
}

export function TestConnectionCard<Fields>({
  sourceId,
  test,
  editorsOnly,
  intro,
  fields,
  input,
  answerClassName,
  children,
}: Props<Fields>) {
  const org = useOrg();
  if (!org.can('sources.write')) {
    return (
      <Card title="Test connection">
        <Notice>{editorsOnly}</Notice>
      </Card>
    );
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    test.mutate({ orgId: org.orgId, sourceId, ...input() });
  }

  return (
    <Card title="Test connection">
      <form onSubmit={submit} className="space-y-3">
        <p className="text-sm text-slate-600">{intro}</p>
        {fields}
        <Button type="submit" disabled={test.isPending}>
          {test.isPending ? 'Testing…' : 'Test connection'}
        </Button>
      </form>
      <div className={answerClassName} aria-live="polite">
        <ErrorText>{test.error ? errorMessage(test.error) : null}</ErrorText>
        {children}
      </div>
    </Card>
  );
}
