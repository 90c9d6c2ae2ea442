import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../config.ts';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('loadConfig accepted the environment');
}

describe('ADMIN_PASSWORD at start-up', () => {
  it.each(['aaaaaaaaaaaa', 'password1234', 'mtbox-admin-2026', 'admin-admin-admin'])(
    'stops on the guessable %s, naming the variable and why',
    (password) => {
      const error = configError({ ADMIN_PASSWORD: password });
      expect(error.issues).toEqual([expect.stringMatching(/^ADMIN_PASSWORD: too easy to guess \(strength \d of 4, needs 3\)/)]);
    },
  );

  it('stops on one shorter than 12 characters', () => {
    expect(configError({ ADMIN_PASSWORD: 'x7#Kq!p2Zr9' }).issues).toEqual(['ADMIN_PASSWORD: must be at least 12 characters']);
  });

  it('accepts a strong one', () => {
    expect(loadConfig({ ADMIN_PASSWORD: 'ochre lantern vestibule' }).ADMIN_PASSWORD).toBe('ochre lantern vestibule');
  });
});
