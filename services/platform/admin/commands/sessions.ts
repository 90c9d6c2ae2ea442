import { z } from 'zod';
import { createSessionStore, listSessions, revokeEverySession } from '../../accounts/index.ts';
import { AdminRefusal, defineCommand } from '../admin-command.ts';
import { NoPositionals, requireAccount, Username, UsernameOption } from './account-support.ts';

const iso = (ms: number) => new Date(ms).toISOString();

/** Lists login sessions; a read, so it runs next to a live server. */
export const sessionsCommand = defineCommand({
  name: 'sessions',
  summary: 'lists login sessions not yet expired (id = a prefix of the token hash, never the token)',
  usage: '[--username <name>]',
  options: UsernameOption,
  args: z.object({ username: Username.optional(), positionals: NoPositionals }),
  whileServerRuns: 'allow',
  dataDir: 'existing',
  async run(ctx, args) {
    const user = args.username === undefined ? null : await requireAccount(ctx, args.username);
    const sessions = await listSessions(await ctx.openDb(), { ...(user && { userId: user.id }), now: ctx.clock() });
    ctx.print(['id'.padEnd(12), 'user'.padEnd(20), 'created'.padEnd(24), 'expires'].join('  '));
    for (const s of sessions) ctx.print([s.id, s.username.padEnd(20), iso(s.createdAt).padEnd(24), iso(s.expiresAt)].join('  '));
    ctx.print(`${sessions.length} session(s)`);
    return {
      entityKind: user ? 'user' : 'system',
      entityId: user?.id ?? 0,
      action: 'admin.sessions',
      reason: user ? `listed the sessions of ${user.username}` : 'listed all sessions',
      data: { ...(user && { username: user.username }), sessions: sessions.length },
    };
  },
});

/**
 * Ends the sessions of one account, or of all with --all. Refused next to a live server: the
 * API closes the socket.io connections of ended sessions through the server's own hook, which
 * this process cannot reach.
 */
export const revokeSessionsCommand = defineCommand({
  name: 'revoke-sessions',
  summary: 'ends the login sessions of one account (--username) or of every account (--all)',
  usage: '--username <name> | --all',
  options: { ...UsernameOption, all: { type: 'boolean' } },
  args: z
    .object({ username: Username.optional(), all: z.boolean().optional(), positionals: NoPositionals })
    .refine((a) => (a.username !== undefined) !== (a.all === true), 'give either --username <name> or --all'),
  whileServerRuns: 'refuse',
  dataDir: 'existing',
  async run(ctx, args) {
    const db = await ctx.openDb();
    if (args.username === undefined) {
      if (!args.all) throw new AdminRefusal('give either --username <name> or --all');
      const ended = await revokeEverySession(db);
      ctx.print(`${ended} session(s) ended`);
      return { entityKind: 'system', entityId: 0, action: 'admin.revoke-sessions', reason: 'ended every session', data: { sessionsEnded: ended } };
    }
    const user = await requireAccount(ctx, args.username);
    // The TTL only matters for sessions created; none is.
    const ended = await createSessionStore(db, 0).revokeAllOf(user.id);
    ctx.print(`${ended} session(s) of ${user.username} ended`);
    return {
      entityKind: 'user',
      entityId: user.id,
      action: 'admin.revoke-sessions',
      reason: `ended the sessions of ${user.username}`,
      data: { username: user.username, sessionsEnded: ended },
    };
  },
});
