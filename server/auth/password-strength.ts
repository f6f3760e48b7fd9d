// Refuses passwords that are easy to guess, with a sentence that says why. zxcvbn-ts estimates how many
// guesses a password takes from lists of common passwords, names and words, keyboard patterns,
// sequences, repeats and dates (and the person's own name and email).
//
// Its dictionaries are big: importing them took 27 MiB of the process's memory, and the estimator built
// from them 25 MiB more, held for good by a server that had checked one password. Only signing up and
// changing a password need them, so they are imported on first use and the estimator is let go once no
// password has been checked for a while (issue 14: the process's peak memory).
import type { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { MIN_PASSWORD_LENGTH } from './passwords';

// zxcvbn's score 3: "safely unguessable", about 10^8 guesses or more.
const MIN_SCORE = 3;
// The estimate's cost grows with the length; the first 100 characters decide.
const CHECKED_LENGTH = 100;
/** How long the estimator is kept after the last check (a sign-up form is often tried twice). */
export const ESTIMATOR_KEPT_MS = 60_000;

let factory: Promise<ZxcvbnFactory> | undefined;
let release: NodeJS.Timeout | undefined;

async function build(): Promise<ZxcvbnFactory> {
  const [{ ZxcvbnFactory }, common, english] = await Promise.all([
    import('@zxcvbn-ts/core'),
    import('@zxcvbn-ts/language-common'),
    import('@zxcvbn-ts/language-en'),
  ]);
  return new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    translations: {
      ...english.translations,
      warnings: { ...english.translations.warnings, userInputs: 'It contains your name or email address.' },
    },
  });
}

function estimator(): Promise<ZxcvbnFactory> {
  factory ??= build().catch((error: unknown) => {
    factory = undefined;
    throw error;
  });
  clearTimeout(release);
  release = setTimeout(() => (factory = undefined), ESTIMATOR_KEPT_MS).unref();
  return factory;
}

/** Whether the estimator is held now (tests: it is let go after ESTIMATOR_KEPT_MS). */
export const estimatorHeld = (): boolean => factory !== undefined;

/**
 * Why this password may not be used, as a sentence for the person choosing it; undefined when it is
 * fine. `personal` holds what an attacker would try first: the person's name and email.
 */
export async function passwordProblem(
  password: string,
  personal: string[] = [],
): Promise<string | undefined> {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  const words = personal.flatMap((p) => [p, ...p.split(/[\s@.]+/)]).filter((w) => w.length >= 3);
  const result = (await estimator()).check(password.slice(0, CHECKED_LENGTH), words);
  if (result.score >= MIN_SCORE) return undefined;
  const why = result.feedback.warning ?? 'It would be guessed quickly.';
  const tip = result.feedback.suggestions[0] ?? 'Add another word or two that do not belong together.';
  return `This password is too easy to guess. ${why} ${tip}`;
}
