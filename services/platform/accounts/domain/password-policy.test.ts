import { describe, expect, it } from 'vitest';
import { checkPasswordStrength, describeWeakness, MIN_SCORE, NEW_PASSWORD_MAX, PASSWORD_MIN, type PasswordWeakness } from './password-policy.ts';

function weakness(password: string, username?: string): PasswordWeakness {
  const verdict = checkPasswordStrength(password, username === undefined ? {} : { username });
  if (verdict.ok) throw new Error(`"${password}" passed with score ${verdict.score}`);
  return verdict.error;
}

describe('password policy', () => {
  it.each(['aaaaaaaaaaaa', 'password1234', 'qwertyuiop12', '123456789012'])(
    'refuses the common or patterned %s, with zxcvbn feedback',
    (password) => {
      const error = weakness(password);
      expect(error).toMatchObject({ code: 'PASSWORD_TOO_WEAK', reason: 'guessable', minScore: MIN_SCORE });
      expect(error.score).toBeLessThan(MIN_SCORE);
      expect(error.warning ?? error.suggestions[0]).toEqual(expect.any(String));
    },
  );

  it('refuses mtbox-admin-2026, which zxcvbn alone scores 4: the product name and the admin account are the first guesses', () => {
    expect(weakness('mtbox-admin-2026')).toMatchObject({
      reason: 'guessable',
      warning: 'There should not be any personal or page related data.',
      suggestions: expect.arrayContaining(['Avoid recent years.']),
    });
    expect(weakness('MT-BOX-Care-2026!')).toMatchObject({ reason: 'guessable' });
  });

  it("refuses a password built from the account's own username", () => {
    expect(weakness('li.lei-2026-li.lei', 'li.lei')).toMatchObject({ reason: 'guessable' });
    expect(weakness('zhang.wei.zhang.wei', 'zhang.wei')).toMatchObject({ reason: 'guessable' });
    // The same password is fine for someone else.
    expect(checkPasswordStrength('zhang.wei.zhang.wei.pumice', { username: 'li.lei' }).ok).toBe(true);
  });

  it(`refuses fewer than ${PASSWORD_MIN} and more than ${NEW_PASSWORD_MAX} characters before asking zxcvbn`, () => {
    expect(weakness('x7#Kq!p2Zr9')).toMatchObject({ reason: 'too-short', score: 0 });
    expect(checkPasswordStrength('x7#Kq!p2Zr9w').ok).toBe(true);
    expect(weakness('x7#Kq!p2Zr9w'.repeat(22))).toMatchObject({ reason: 'too-long' });
  });

  it('accepts a passphrase of uncommon words and a generated secret', () => {
    expect(checkPasswordStrength('ochre lantern vestibule', { username: 'admin' })).toEqual({ ok: true, score: 4 });
    expect(checkPasswordStrength('t2Vq0nYc4mW8eJ1sRkz5Lb7x', { username: 'admin' })).toEqual({ ok: true, score: 4 });
  });

  it('describes a refusal in one line for a start-up error', () => {
    expect(describeWeakness(weakness('short'))).toBe(`must be at least ${PASSWORD_MIN} characters`);
    expect(describeWeakness(weakness('password1234'))).toMatch(
      /^too easy to guess \(strength 1 of 4, needs 3\): This is similar to a commonly used password/,
    );
  });
});
