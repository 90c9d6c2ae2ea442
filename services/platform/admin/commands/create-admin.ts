import { z } from 'zod';
import { createUserStore } from '../../accounts/index.ts';
import { AdminRefusal, defineCommand } from '../admin-command.ts';
import { newPassword, NoPositionals, printGenerated, Username, UsernameOption } from './account-support.ts';

/**
 * A new admin account. Runs next to a live server: accounts are read from the database on
 * every request, and a new account has no sessions or connections a server could hold.
 */
export const createAdminCommand = defineCommand({
  name: 'create-admin',
  summary: 'creates an admin account (password from standard input, or generated and printed once)',
  usage: '--username <name> [--password-stdin]',
  options: { ...UsernameOption, 'password-stdin': { type: 'boolean' } },
  args: z.object({ username: Username, 'password-stdin': z.boolean().optional(), positionals: NoPositionals }),
  whileServerRuns: 'allow',
  dataDir: 'existing',
  async run(ctx, args) {
    const { password, generated } = await newPassword(ctx, args['password-stdin'], args.username);
    const result = await createUserStore(await ctx.openDb()).create({ username: args.username, password, role: 'admin' }, ctx.clock());
    if (!result.ok) throw new AdminRefusal(`an account named "${args.username}" exists already; nothing was done`);
    ctx.print(`created admin account ${args.username} (id ${result.user.id})`);
    if (generated) printGenerated(ctx, args.username, password);
    return {
      entityKind: 'user',
      entityId: result.user.id,
      action: 'admin.create-admin',
      reason: `created admin account ${args.username}`,
      data: { username: args.username, role: 'admin', passwordGenerated: generated },
    };
  },
});
