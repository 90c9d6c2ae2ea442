import { z } from 'zod';
import { checkPasswordStrength, createUserStore, describeWeakness, Username, type UserWithHash } from '../../accounts/index.ts';
import { generateSecret } from '../../security/index.ts';
import { AdminRefusal, type AdminContext } from '../admin-command.ts';

/** `--username <name>`, as the accounts capability spells usernames. */
export const UsernameOption = { username: { type: 'string' } } as const;
export const NoPositionals = z.array(z.string()).max(0, 'takes no positional arguments');

/** The account, or a refusal naming the username. */
export async function requireAccount(ctx: AdminContext, username: string): Promise<UserWithHash> {
  const user = await createUserStore(await ctx.openDb()).findByUsername(username);
  if (!user) throw new AdminRefusal(`no account is named "${username}"; nothing was done`);
  return user;
}

/**
 * The new password: the first line of standard input with `--password-stdin` (never an
 * argument, which `ps` and the shell history show), else a generated one the caller prints
 * once. Either way it passes the app's password policy, with the username as a user input.
 */
export async function newPassword(
  ctx: AdminContext,
  fromStdin: boolean | undefined,
  username: string,
): Promise<{ password: string; generated: boolean }> {
  if (!fromStdin) return { password: generateSecret(), generated: true };
  const [firstLine = ''] = (await ctx.readStdin()).split(/\r?\n/);
  if (firstLine === '') throw new AdminRefusal('--password-stdin: standard input held no password; nothing was done');
  const verdict = checkPasswordStrength(firstLine, { username });
  if (!verdict.ok) throw new AdminRefusal(`the password ${describeWeakness(verdict.error)}; nothing was done`);
  return { password: firstLine, generated: false };
}

/** Shows a generated password the only time it exists outside its hash. */
export function printGenerated(ctx: AdminContext, username: string, password: string): void {
  ctx.print(`password for ${username}: ${password}`);
  ctx.print('Generated, and shown only this once: hand it to its owner over a safe channel.');
}

export { Username };
