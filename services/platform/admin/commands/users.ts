import { z } from 'zod';
import { createUserStore } from '../../accounts/index.ts';
import { defineCommand } from '../admin-command.ts';
import { NoPositionals } from './account-support.ts';

/**
 * Lists the accounts: the way back for an operator who forgot the admin's name, not only its
 * password. A read, so it runs next to a live server.
 */
export const usersCommand = defineCommand({
  name: 'users',
  summary: 'lists the accounts: name, role, enabled or disabled, organisation, created',
  usage: '',
  options: {},
  args: z.object({ positionals: NoPositionals }),
  whileServerRuns: 'allow',
  dataDir: 'existing',
  async run(ctx) {
    const users = await createUserStore(await ctx.openDb()).list();
    ctx.print(['username'.padEnd(24), 'role'.padEnd(14), 'state'.padEnd(9), 'organisation'.padEnd(12), 'created'].join('  '));
    for (const u of users) {
      const org = u.organisationId === null ? '-' : String(u.organisationId);
      ctx.print(
        [
          u.username.padEnd(24),
          u.role.padEnd(14),
          (u.enabled ? 'enabled' : 'disabled').padEnd(9),
          org.padEnd(12),
          new Date(u.createdAt).toISOString(),
        ].join('  '),
      );
    }
    ctx.print(`${users.length} account(s)`);
    return { entityKind: 'system', entityId: 0, action: 'admin.users', reason: 'listed the accounts', data: { accounts: users.length } };
  },
});
