// Refuses passwords that are easy to guess, with a sentence that says why. zxcvbn-ts estimates how many
// guesses a password takes from lists of common passwords, names and words, keyboard patterns,
// sequences, repeats and dates (and the person's own name and email).
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as english from '@zxcvbn-ts/language-en';
import { MIN_PASSWORD_LENGTH } from './passwords';

// zxcvbn's score 3: "safely unguessable", about 10^8 guesses or more.
const MIN_SCORE = 3;
// The estimate's cost grows with the length; the first 100 characters decide.
const CHECKED_LENGTH = 100;

let factory: ZxcvbnFactory | undefined;

// The dictionaries are loaded on first use, not when the module is imported.
function estimator(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...english.dictionary },
    graphs: common.adjacencyGraphs,
    translations: {
      ...english.translations,
      warnings: { ...english.translations.warnings, userInputs: 'It contains your name or email address.' },
    },
  });
  return factory;
}

/**
 * Why this password may not be used, as a sentence for the person choosing it; undefined when it is
 * fine. `personal` holds what an attacker would try first: the person's name and email.
 */
export function passwordProblem(password: string, personal: string[] = []): string | undefined {
  if (password.length < MIN_PASSWORD_LENGTH) return `Use at least ${MIN_PASSWORD_LENGTH} characters.`;
  const words = personal.flatMap((p) => [p, ...p.split(/[\s@.]+/)]).filter((w) => w.length >= 3);
  const result = estimator().check(password.slice(0, CHECKED_LENGTH), words);
  if (result.score >= MIN_SCORE) return undefined;
  const why = result.feedback.warning ?? 'It would be guessed quickly.';
  const tip = result.feedback.suggestions[0] ?? 'Add another word or two that do not belong together.';
  return `This password is too easy to guess. ${why} ${tip}`;
}
