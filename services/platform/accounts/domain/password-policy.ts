import { ZxcvbnFactory, type FeedbackType } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';
import { z } from 'zod';

/** NIST SP 800-63B asks for at least 8; 12 leaves room for the guessability check to matter. */
export const PASSWORD_MIN = 12;
/**
 * New passwords only. Login and "current password" still accept PASSWORD_MAX (account.ts), so
 * an account created before this limit can sign in; zxcvbn itself reads no further than 256.
 */
export const NEW_PASSWORD_MAX = 256;
/** zxcvbn's 0-4 scale; 3 is "safely unguessable" (about 10^10 guesses). */
export const MIN_SCORE = 3;
/**
 * Words an attacker tries first against this product: its name (MT-BOX Care) and the bootstrap
 * account. The account's own username is added per check.
 */
export const PRODUCT_WORDS: readonly string[] = ['mtbox', 'mt-box', 'care', 'admin'];

/** A new password's length, checked at every boundary (HTTP bodies, ADMIN_PASSWORD) before its strength. */
export const NewPassword = z
  .string()
  .min(PASSWORD_MIN, `password: at least ${PASSWORD_MIN} characters`)
  .max(NEW_PASSWORD_MAX, `password: at most ${NEW_PASSWORD_MAX} characters`);

export interface PasswordWeakness {
  code: 'PASSWORD_TOO_WEAK';
  reason: 'too-short' | 'too-long' | 'guessable';
  /** zxcvbn's score, 0-4 (0 when the length alone refused it). */
  score: number;
  minScore: number;
  /** zxcvbn's feedback, in English. */
  warning: string | null;
  suggestions: string[];
}

export type PasswordVerdict = { ok: true; score: number } | { ok: false; error: PasswordWeakness };

// Built on first use: ranking the word lists takes ~100 ms and ~20 MB more than loading them,
// which a process that never checks a password (the simulator, a benchmark) need not pay.
let estimator: ZxcvbnFactory | undefined;
function zxcvbn(): ZxcvbnFactory {
  estimator ??= new ZxcvbnFactory({
    translations: en.translations,
    graphs: common.adjacencyGraphs,
    dictionary: { ...common.dictionary, ...en.dictionary },
  });
  return estimator;
}

/** The account's own words: the username and its parts (`li.lei` → `li.lei`, `lei`), lower-case. */
function userWords(username: string | undefined): string[] {
  if (!username) return [];
  const lower = username.toLowerCase();
  const parts = lower.split(/[._-]+/).filter((p) => p.length >= 3);
  return [lower, ...parts];
}

function withoutWords(password: string, words: readonly string[]): string {
  let rest = password.toLowerCase();
  // Longest first, so `mt-box` goes before its pieces could break it up.
  for (const word of [...words].sort((a, b) => b.length - a.length)) rest = rest.split(word).join('');
  return rest;
}

function weakness(reason: PasswordWeakness['reason'], score: number, feedback: FeedbackType): PasswordVerdict {
  return {
    ok: false,
    error: { code: 'PASSWORD_TOO_WEAK', reason, score, minScore: MIN_SCORE, warning: feedback.warning, suggestions: feedback.suggestions },
  };
}

/**
 * Whether a new password is long enough and hard enough to guess: zxcvbn score >= MIN_SCORE,
 * both as typed and with the product's words and the username taken out, because zxcvbn
 * scores `mtbox-admin-2026` as strong (a long sequence of separate matches looks costly to it)
 * although an attacker's first guesses are built from exactly those words.
 */
export function checkPasswordStrength(password: string, context: { username?: string } = {}): PasswordVerdict {
  const noFeedback: FeedbackType = { warning: null, suggestions: [] };
  if (password.length < PASSWORD_MIN) {
    return weakness('too-short', 0, { warning: null, suggestions: [`Use at least ${PASSWORD_MIN} characters.`] });
  }
  if (password.length > NEW_PASSWORD_MAX) return weakness('too-long', 0, noFeedback);

  const words = [...PRODUCT_WORDS, ...userWords(context.username)];
  const typed = zxcvbn().check(password, words);
  if (typed.score < MIN_SCORE) return weakness('guessable', typed.score, typed.feedback);

  const rest = withoutWords(password, words);
  const stripped = rest.length === 0 ? null : zxcvbn().check(rest, words);
  const strippedScore = stripped?.score ?? 0;
  if (strippedScore < MIN_SCORE) {
    return weakness('guessable', strippedScore, {
      warning: en.translations.warnings.userInputs,
      suggestions: stripped?.feedback.suggestions.length ? stripped.feedback.suggestions : [en.translations.suggestions.anotherWord],
    });
  }
  return { ok: true, score: Math.min(typed.score, strippedScore) };
}

/** One line for a log or a start-up error, e.g. naming ADMIN_PASSWORD. */
export function describeWeakness(error: PasswordWeakness): string {
  if (error.reason === 'too-short') return `must be at least ${PASSWORD_MIN} characters`;
  if (error.reason === 'too-long') return `must be at most ${NEW_PASSWORD_MAX} characters`;
  const hints = [error.warning, ...error.suggestions].filter((h): h is string => !!h).join(' ');
  return `too easy to guess (strength ${error.score} of 4, needs ${error.minScore})${hints ? `: ${hints}` : ''}`;
}
