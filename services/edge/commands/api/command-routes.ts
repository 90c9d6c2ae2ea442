import { z } from 'zod';
import { AppError } from '../../../kernel/app-error.ts';
import { arrayPage, cursorParam, DEFAULT_PAGE, NEXT_CURSOR_HEADER_DOC, PageLimit } from '../../../kernel/page-cursor.ts';
import { type RouteUser, routesFor } from '../../../kernel/route-definition.ts';
import { type DeviceRegistry, SerialParams } from '../../registry/index.ts';
import type { CommandPort } from '../domain/command-port.ts';
import type { listCommands } from '../store/command-store.ts';
import { CommandInput, CommandOutcome } from '../domain/command-port.ts';
import { CommandView } from './command-schemas.ts';

/** What the command routes need. */
export interface CommandRouteDeps {
  registry: DeviceRegistry;
  commands: CommandPort;
  /**
   * Whether this account may command this box now: false, true (admin), or the id of the
   * open remote-guidance session the command belongs to.
   */
  commandAccess(user: RouteUser, serial: string): Promise<boolean | number>;
  /** Commands sent to a box, newest first, or one of them. */
  listCommands(filter: Parameters<typeof listCommands>[1]): ReturnType<typeof listCommands>;
}

const defineRoute = routesFor<CommandRouteDeps>();

const CommandId = z.string().min(1).max(64);
const CommandParams = SerialParams.extend({ id: CommandId });

const CommandListQuery = z.object({
  limit: PageLimit,
  cursor: cursorParam(z.tuple([z.number().int(), CommandId])).optional(),
});

export const commandRoutes = [
  defineRoute({
    method: 'post',
    path: '/api/devices/:sn/commands',
    summary:
      'Sends a remote command and waits for its outcome: succeeded, failed, timed-out, offline, or queued (with queue: true, delivered on reconnect)',
    tag: 'commands',
    access: 'commands:send',
    params: SerialParams,
    body: CommandInput,
    response: CommandOutcome,
    errors: ['DEVICE_NOT_FOUND', 'SESSION_REQUIRED', 'BACKUP_BEFORE_CHANGE_FAILED'],
    async handler({ params, body, user, deps }) {
      // Engineers work on a box inside a remote-guidance session; admins may act directly.
      const sessionId = await deps.commandAccess(user, params.sn);
      if (sessionId === false) throw new AppError('SESSION_REQUIRED', { serial: params.sn, role: user.role });
      return deps.commands.send(params.sn, body, {
        username: user.username,
        role: user.role,
        ...(typeof sessionId === 'number' ? { sessionId } : {}),
      });
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/devices/:sn/commands',
    summary: 'Commands sent to the box, newest first: who sent what, and the outcome, a page of `limit` (default 100) at a time',
    tag: 'commands',
    access: 'devices:read',
    params: SerialParams,
    query: CommandListQuery,
    response: z.array(CommandView).describe('newest first by request time'),
    responseHeaders: NEXT_CURSOR_HEADER_DOC,
    errors: ['DEVICE_NOT_FOUND'],
    async handler({ params, query, deps, res }) {
      const device = await deps.registry.findBySerial(params.sn);
      if (!device) throw new AppError('DEVICE_NOT_FOUND', { serial: params.sn });
      const limit = query.limit ?? DEFAULT_PAGE;
      const commands = await deps.listCommands({
        serial: params.sn,
        ...(query.cursor ? { before: query.cursor } : {}),
        limit: limit + 1,
        withResult: false,
      });
      return arrayPage(res, commands, limit, (c) => [c.requestedAt, c.id]) as z.input<typeof CommandView>[];
    },
  }),
  defineRoute({
    method: 'get',
    path: '/api/devices/:sn/commands/:id',
    summary: 'One command with its result, e.g. to follow a queued command',
    tag: 'commands',
    access: 'devices:read',
    params: CommandParams,
    response: CommandView,
    errors: ['COMMAND_NOT_FOUND'],
    async handler({ params, deps }) {
      const [found] = await deps.listCommands({ serial: params.sn, id: params.id, limit: 1, withResult: true });
      if (!found) throw new AppError('COMMAND_NOT_FOUND', { serial: params.sn, id: params.id });
      return found as z.input<typeof CommandView>;
    },
  }),
];
