import { z } from 'zod';
import { createSessionStore, createUserStore } from '../../accounts/index.ts';
import { defineCommand } from '../admin-command.ts';
import { newPassword, NoPositionals, printGenerated, requireAccount, Username, UsernameOption } from './account-support.ts';

/**
 * Sets an account's password and ends all its sessions: the recovery path when no admin can
 * sign in. Refused next to a live server: the API's reset also closes the account's socket.io
 * connections through the server's own hook, which a separate process cannot reach, so a
 * connection opened with an ended session would keep receiving live updates.
 */
export const resetPasswordCommand = defineCommand({
  name: 'reset-password',
  summary: "sets an account's password (standard input, or generated and printed once) and ends its sessions",
  usage: '--username <name> [--password-stdin]',
  options: { ...UsernameOption, 'password-stdin': { type: 'boolean' } },
  args: z.object({ username: Username, 'password-stdin': z.boolean().optional(), positionals: NoPositionals }),
  whileServerRuns: 'refuse',
  dataDir: 'existing',
  async run(ctx, args) {
    const user = await requireAccount(ctx, args.username);
    const { password, generated } = await newPassword(ctx, args['password-stdin'], user.username);
    const db = await ctx.openDb();
    await createUserStore(db).setPassword(user.id, password);
    // The TTL only matters for sessions created; none is.
    const ended = await createSessionStore(db, 0).revokeAllOf(user.id);
    ctx.print(`password of ${user.username} reset; ${ended} session(s) ended`);
    if (generated) printGenerated(ctx, user.username, password);
    // Not enabled silently: a disabled account was disabled for a reason someone should weigh.
    if (!user.enabled)
      ctx.print(`${user.username} is disabled and cannot sign in until enabled: npm run admin -- enable-user --username ${user.username}`);
    return {
      entityKind: 'user',
      entityId: user.id,
      action: 'admin.reset-password',
      reason: `reset the password of ${user.username}`,
      data: { username: user.username, sessionsEnded: ended, passwordGenerated: generated, enabled: user.enabled },
    };
  },
});
