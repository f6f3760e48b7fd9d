// The run log of a run that holds secrets: every text it records — entries' reasons, the timeline's URLs,
// details and data, the run's message — with the secrets' values masked. The HTTP client masks what it
// knows as it goes, and URLs are masked by parameter name where they are written (http/redact.ts
// `maskedUrl`), but a source may echo a secret back: a secret query parameter whose name looks harmless
// (`query:sig2`) in its next link lands in the page URL the timeline records. Masking by value here
// catches it wherever the run records it.
import { Redactor } from '../http/redact';
import type { RunEntry, RunRecorder, TimelineEvent } from '../ports';
import type { RunSetup } from './setup';

/** Every secret a run's requests may carry: its source's, the synchronisation's own, its target's. */
export function secretsOfRun(setup: RunSetup): string[] {
  const target = setup.target.kind === 'register' ? {} : setup.target.secrets;
  return [
    ...Object.values(setup.readingSecrets),
    ...Object.values(setup.sourceSecrets),
    ...Object.values(target),
  ];
}

/** `recorder`, masking the values of `secrets`. */
export function maskingSecrets(recorder: RunRecorder, secrets: readonly string[]): RunRecorder {
  if (secrets.length === 0) return recorder;
  const redactor = new Redactor();
  for (const value of secrets) redactor.add(value);
  const text = (value: string) => redactor.text(value);
  const entry = (e: RunEntry): RunEntry => (e.reason === null ? e : { ...e, reason: text(e.reason) });
  const event = (e: TimelineEvent): TimelineEvent => ({
    ...e,
    ...(e.url === undefined ? {} : { url: text(e.url) }),
    ...(e.detail === undefined ? {} : { detail: text(e.detail) }),
    ...(e.data === undefined ? {} : { data: maskedData(e.data, text) }),
  });
  return {
    ...recorder,
    entries: (batchKey, entries, timeline) =>
      recorder.entries(batchKey, entries.map(entry), timeline?.map(event)),
    ...(recorder.pageDone
      ? {
          pageDone: (batchKey, entries, timeline, progress) =>
            recorder.pageDone!(batchKey, entries.map(entry), timeline.map(event), progress),
        }
      : {}),
    finish: (summary) => recorder.finish({ ...summary, message: text(summary.message) }),
  };
}

/** The event's data with its strings masked (its values are small facts: attempts, causes, counts). */
function maskedData(
  data: Readonly<Record<string, unknown>>,
  text: (value: string) => string,
): Readonly<Record<string, unknown>> {
  const mask = (value: unknown): unknown => {
    if (typeof value === 'string') return text(value);
    if (Array.isArray(value)) return value.map(mask);
    if (typeof value === 'object' && value !== null)
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(v)]));
    return value;
  };
  return mask(data) as Readonly<Record<string, unknown>>;
}
