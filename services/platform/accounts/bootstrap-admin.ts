import type { Clock } from '../../kernel/clock.ts';
import type { Db } from '../db/index.ts';
import type { Logger } from '../logger.ts';
import { generateSecret } from '../security/index.ts';
import { BOOTSTRAP_USERNAME } from './domain/account.ts';
import { checkPasswordStrength, describeWeakness } from './domain/password-policy.ts';
import { createUserStore } from './store/user-store.ts';

export { BOOTSTRAP_USERNAME };

export interface BootstrapAdminOptions {
  db: Db;
  /** ADMIN_PASSWORD: read only on the very first start, while the users table is empty. */
  adminPassword: string | undefined;
  logger: Logger;
  clock: Clock;
  /** Where the generated password is shown to the operator; process.stderr by default. */
  stderr?: (text: string) => void;
}

export type BootstrapAdminResult = { created: false } | { created: true; username: string; passwordSource: 'ADMIN_PASSWORD' | 'generated' };

/**
 * Creates the first account, `admin`, when no account exists yet. Its password is
 * ADMIN_PASSWORD or, when that is unset, a generated one printed once: there is never a
 * default password. Once any user exists this does nothing, so changing ADMIN_PASSWORD
 * later does not change (or reset) anyone's password.
 */
export async function bootstrapAdmin(options: BootstrapAdminOptions): Promise<BootstrapAdminResult> {
  const { db, adminPassword, logger, clock } = options;
  const users = createUserStore(db);
  if ((await users.count()) > 0) return { created: false };

  // services/platform/config.ts already refused a weak ADMIN_PASSWORD; this guards callers that skip it.
  const verdict = adminPassword === undefined ? null : checkPasswordStrength(adminPassword, { username: BOOTSTRAP_USERNAME });
  if (verdict && !verdict.ok) throw new Error(`ADMIN_PASSWORD: ${describeWeakness(verdict.error)}`);
  const password = adminPassword ?? generateSecret();
  const result = await users.create({ username: BOOTSTRAP_USERNAME, password, role: 'admin' }, clock());
  // Lost a race with another start-up that created the account first: theirs stands.
  if (!result.ok) return { created: false };

  if (adminPassword) {
    logger.info({ username: BOOTSTRAP_USERNAME }, 'created the first admin account with ADMIN_PASSWORD');
    return { created: true, username: BOOTSTRAP_USERNAME, passwordSource: 'ADMIN_PASSWORD' };
  }
  // The password goes to the terminal only, never into the structured log that gets shipped.
  logger.warn(
    { username: BOOTSTRAP_USERNAME },
    'ADMIN_PASSWORD is not set: created the first admin account with a generated password, printed once on stderr',
  );
  const write = options.stderr ?? ((text: string) => void process.stderr.write(text));
  write(
    [
      '',
      '================ MT-BOX Care: initial admin account ================',
      `  username: ${BOOTSTRAP_USERNAME}`,
      `  password: ${password}`,
      '  Generated because ADMIN_PASSWORD was not set. Shown only once.',
      '====================================================================',
      '',
    ].join('\n'),
  );
  return { created: true, username: BOOTSTRAP_USERNAME, passwordSource: 'generated' };
}
