import { z } from 'zod';
import { createUserStore } from '../../accounts/index.ts';
import { AdminRefusal, defineCommand } from '../admin-command.ts';
import { NoPositionals, Username, UsernameOption } from './account-support.ts';

/** No account has id 0: the operator is never the account disabled, so only the other rules apply. */
const OPERATOR_ACCOUNT_ID = 0;

/**
 * Disables an account and ends its sessions, through the same rule as the API (account-rules.ts):
 * the last enabled admin is refused, as the CLI is the recovery path and someone must be left
 * who can enable accounts. Refused next to a live server, as the API's disable also closes the
 * account's socket.io connections through the server's own hook, which this process cannot reach.
 */
export const disableUserCommand = defineCommand({
  name: 'disable-user',
  summary: 'disables an account and ends its sessions (never the last enabled admin)',
  usage: '--username <name>',
  options: UsernameOption,
  args: z.object({ username: Username, positionals: NoPositionals }),
  whileServerRuns: 'refuse',
  dataDir: 'existing',
  async run(ctx, args) {
    const users = createUserStore(await ctx.openDb());
    const before = await users.findByUsername(args.username);
    const result = await users.disable(args.username, OPERATOR_ACCOUNT_ID);
    if (!result.ok) {
      if (result.error.code === 'LAST_ENABLED_ADMIN') {
        throw new AdminRefusal(`${args.username} is the last enabled admin: create or enable another admin first; nothing was done`);
      }
      throw new AdminRefusal(`no account is named "${args.username}"; nothing was done`);
    }
    const wasEnabled = before?.enabled ?? false;
    ctx.print(wasEnabled ? `disabled ${args.username}; its sessions are ended` : `${args.username} was disabled already`);
    return {
      entityKind: 'user',
      entityId: result.user.id,
      action: 'admin.disable-user',
      reason: `disabled ${args.username}`,
      data: { username: args.username, wasEnabled },
    };
  },
});

/**
 * Enables an account again; its ended sessions stay ended. Runs next to a live server: the
 * account signs in anew, and every request reads whether it is enabled from the database.
 */
export const enableUserCommand = defineCommand({
  name: 'enable-user',
  summary: 'enables a disabled account (it signs in anew)',
  usage: '--username <name>',
  options: UsernameOption,
  args: z.object({ username: Username, positionals: NoPositionals }),
  whileServerRuns: 'allow',
  dataDir: 'existing',
  async run(ctx, args) {
    const users = createUserStore(await ctx.openDb());
    const before = await users.findByUsername(args.username);
    const result = await users.enable(args.username);
    if (!result.ok) throw new AdminRefusal(`no account is named "${args.username}"; nothing was done`);
    const wasEnabled = before?.enabled ?? true;
    ctx.print(wasEnabled ? `${args.username} was enabled already` : `enabled ${args.username}`);
    return {
      entityKind: 'user',
      entityId: result.user.id,
      action: 'admin.enable-user',
      reason: `enabled ${args.username}`,
      data: { username: args.username, wasEnabled },
    };
  },
});
